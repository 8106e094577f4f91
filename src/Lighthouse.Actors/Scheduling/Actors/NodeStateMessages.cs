using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// The conversation between the SchedulerActor and its NodeStateActor children (same process only). Down, besides
// these: the ClusterHealthWatcher's member changes. All internal types without a wire codec, so that no peer can send
// them to a node's link, whatever sender path it writes.

/// <summary>
/// For the node's worker: a <see cref="StartTask"/>, <see cref="CancelRunningTask"/>, <see cref="ReportRejected"/> or
/// <see cref="ReportsAcknowledged"/> (whose ids the link gathers per drain), which the link
/// sends on (batched, and wrapped in the worker's session when secure). A wrapper rather than the protocol message itself,
/// which has a codec and could be sent to the link from the network with the scheduler's path as its sender.
/// </summary>
internal sealed record ToWorker(object Message);

/// <summary>A worker's report, passed up by its node's actor with the node it came from; any answer goes back through that actor.</summary>
internal sealed record NodeReport(string Node, IWorkerReport Report);

/// <summary>The node is lost (its agent terminated, or its cluster member was removed), and why; told once.</summary>
internal sealed record NodeLost(string Node, string Why);

/// <summary>The node's cluster member became unreachable (no new tasks) or reachable again.</summary>
internal sealed record NodeReachability(string Node, bool Reachable);

/// <summary>The same agent registered again: tell it once more that it is registered.</summary>
internal sealed record AnnounceRegistration
{
    public static AnnounceRegistration Instance { get; } = new();
}
