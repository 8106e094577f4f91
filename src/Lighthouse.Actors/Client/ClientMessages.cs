using Lighthouse.Protocol;

namespace Lighthouse.Client;

// The client actor's own messages. They never leave the process: LighthouseClient hands calls to its actor in
// memory, together with the completion the actor fulfils.

/// <summary>A call from <see cref="LighthouseClient"/>: <paramref name="Completion"/> gets the scheduler's answer (or the failure).</summary>
internal abstract record ClientCall(TaskCompletionSource<object> Completion);

/// <summary>Send <paramref name="Message"/> to the scheduler and complete with its answer.</summary>
internal sealed record ClientRequest(object Message, TaskCompletionSource<object> Completion) : ClientCall(Completion);

/// <summary>
/// Wait for the task's end: complete with its finished <see cref="TaskInfo"/>, or with <see cref="UnknownTask"/>;
/// report its changes to <paramref name="Progress"/> meanwhile.
/// </summary>
internal sealed record ClientWait(string TaskId, IProgress<TaskInfo>? Progress, TaskCompletionSource<object> Completion) : ClientCall(Completion);

/// <summary>
/// Submit <paramref name="Submission"/> (watched, with a submission id) and complete with the task's finished
/// <see cref="TaskInfo"/>, or with the <see cref="SubmissionRejected"/> answer.
/// </summary>
internal sealed record ClientRun(SubmitTask Submission, IProgress<TaskInfo>? Progress, TaskCompletionSource<object> Completion) : ClientCall(Completion);

/// <summary>The client actor's periodic check for expired requests, requests to send again and quiet watches.</summary>
internal sealed record ClientTick
{
    public static ClientTick Instance { get; } = new();
}
