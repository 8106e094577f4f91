using System.Globalization;

namespace Lighthouse.Scheduling;

/// <summary>
/// How often the task policies acted (for <c>/metrics</c> and the monitor), counted as their events are applied: a replay
/// counts them again and a snapshot does not carry them, so they restart with the scheduler, as Prometheus counters may.
/// (Quota waits are counted by the fair queues, <see cref="UserQueues.QuotaWaits"/>; key waits by <see cref="ConcurrencyKeys.Waits"/>.)
/// </summary>
internal sealed class PolicyCounters
{
    /// <summary>Failed attempts sent to wait for their retry's back-off (<see cref="TaskRetrying"/>).</summary>
    public long Retries { get; private set; }

    /// <summary>Attempts that failed by their task's timeout, whether the worker or the scheduler's enforcement ended them (then retried or failed).</summary>
    public long Timeouts { get; private set; }

    public void Retried(TaskRecord task, string error)
    {
        Retries++;
        if (IsTimeout(task, error)) Timeouts++;
    }

    public void Failed(TaskRecord task, string? error)
    {
        if (error is not null && IsTimeout(task, error)) Timeouts++;
    }

    /// <summary>
    /// Whether an attempt's error is its task's timeout: both the worker's report (<c>timed out after 500 ms, the task's
    /// timeout; …</c>) and the scheduler's enforcement (<c>timed out after 500 ms: worker node …</c>) begin with the timeout
    /// in milliseconds, as the scheduler sent it. (The journal holds the text only; a handler's own message that begins the
    /// same way on a task with that timeout would count too.)
    /// </summary>
    public static bool IsTimeout(TaskRecord task, string error) =>
        task.Timeout is { } timeout && error.StartsWith(TimeoutPrefix(timeout), StringComparison.Ordinal);

    public static string TimeoutPrefix(TimeSpan timeout) =>
        $"timed out after {timeout.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms";
}
