namespace Lighthouse.Client;

// The client actor's own messages. They never leave the process: LighthouseClient hands requests to its
// actor in memory, together with the completion the actor fulfils.

/// <summary>Send <paramref name="Message"/> to the scheduler and complete <paramref name="Completion"/> with its answer (or the failure).</summary>
internal sealed record ClientRequest(object Message, TaskCompletionSource<object> Completion);

/// <summary>The client actor's periodic check for expired requests and requests to send again.</summary>
internal sealed record ClientTick
{
    public static ClientTick Instance { get; } = new();
}
