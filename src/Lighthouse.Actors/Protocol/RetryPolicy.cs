namespace Lighthouse.Protocol;

/// <summary>
/// How a task whose handler failed (or timed out) is started again: up to <paramref name="Attempts"/> more times,
/// waiting <paramref name="Backoff"/> before the first retry, twice that before the second, and so on, each wait capped at
/// <paramref name="MaxBackoff"/> (when null, at the scheduler's <c>lighthouse.scheduler.max-retry-backoff</c>). A lost
/// worker node is not a failure of the task: it re-queues the task under <see cref="SubmitTask.MaxAttempts"/>, a count of its own.
/// </summary>
public sealed record RetryPolicy(int Attempts, TimeSpan Backoff, TimeSpan? MaxBackoff = null)
{
    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (from 1): <c>Backoff × 2^(retry−1)</c>, capped at
    /// <paramref name="cap"/>. Computed in doubles so that a hundred doublings cannot overflow.
    /// </summary>
    public TimeSpan DelayBefore(int retry, TimeSpan cap)
    {
        var ticks = Backoff.Ticks * Math.Pow(2, Math.Max(0, retry - 1));
        return ticks >= cap.Ticks ? cap : TimeSpan.FromTicks((long)ticks);
    }
}
