using Lighthouse.Protocol;

namespace Lighthouse.Client;

/// <summary>
/// One caller waiting for a task's end (<see cref="LighthouseClient.WaitAsync"/> or a run after its acceptance).
/// The client actor tells it every status it hears of the task; it reports the changes to the caller's progress
/// callback and completes the caller's call with the end.
/// <para>
/// The callback runs off the actor's thread, so a slow one never holds up the answers of others, yet in order:
/// each report is chained after the previous one, and the completion after the last report, so a caller has seen
/// every report (the final status included) when its wait returns.
/// </para>
/// </summary>
internal sealed class TaskWaiter(TaskCompletionSource<object> completion, IProgress<TaskInfo>? progress)
{
    private TaskInfo? _reported;
    private Task _reports = Task.CompletedTask;

    public bool WantsProgress => progress is not null;

    /// <summary>The call is over: answered, failed, or cancelled by its caller.</summary>
    public bool IsDone => completion.Task.IsCompleted;

    /// <summary>Reports <paramref name="info"/> to the progress callback if it differs from the last report (as each status poll once did).</summary>
    public void Report(TaskInfo info)
    {
        if (progress is null || IsDone || (_reported is not null && !Changed(_reported, info))) return;
        _reported = info;
        _reports = _reports.ContinueWith(static (_, state) => ((Delivery)state!).Report(),
            new Delivery(progress, info, completion), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>The task has finished (a <see cref="TaskInfo"/>, reported first) or is unknown (<see cref="UnknownTask"/>).</summary>
    public void Finish(object answer)
    {
        if (answer is TaskInfo info) Report(info);
        if (_reports.IsCompleted) completion.TrySetResult(answer);
        else _reports.ContinueWith(static (_, state) => ((Delivery)state!).Complete(),
            new Delivery(null, answer, completion), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    public void Fail(Exception error)
    {
        if (_reports.IsCompleted) completion.TrySetException(error);
        else _reports.ContinueWith(static (_, state) => ((Delivery)state!).Complete(),
            new Delivery(null, error, completion), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private static bool Changed(TaskInfo before, TaskInfo after) =>
        before.State != after.State || before.Progress != after.Progress || before.Node != after.Node ||
        before.Attempts != after.Attempts || before.PendingReason != after.PendingReason || before.CancelRequested != after.CancelRequested;

    private sealed class Delivery(IProgress<TaskInfo>? progress, object value, TaskCompletionSource<object> completion)
    {
        public void Report()
        {
            if (completion.Task.IsCompleted) return;
            try
            {
                progress!.Report((TaskInfo)value);
            }
            catch (Exception failed)
            {
                // The caller's own callback failed: its wait ends with that, as it did when the wait polled.
                completion.TrySetException(failed);
            }
        }

        public void Complete()
        {
            if (value is Exception error) completion.TrySetException(error);
            else completion.TrySetResult(value);
        }
    }
}
