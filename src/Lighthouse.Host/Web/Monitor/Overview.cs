using Lighthouse.Protocol;

namespace Lighthouse.Host.Web.Monitor;

/// <summary>
/// Everything the monitor page shows, gathered at one moment: the cluster, the nodes with their running
/// tasks, the queues, the oldest waiting task, the tasks no worker can take, the tasks waiting for a policy, statistics and history.
/// </summary>
public sealed record Overview(
    DateTimeOffset GeneratedAt,
    ClusterView Cluster,
    NodesView Nodes,
    IReadOnlyDictionary<string, TaskInfo> RunningTasks,
    QueuesView Queues,
    WaitingTasks Waiting,
    StatisticsView Statistics,
    HistoryView History)
{
    /// <summary>Delayed, retrying, dependency- and key-waiting tasks (none from a scheduler that does not give the figures).</summary>
    public PolicyWaiting Policies { get; init; } = PolicyWaiting.None;
}
