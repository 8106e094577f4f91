namespace Lighthouse.Worker.Agent;

/// <summary>
/// Coalesces one task's progress so a chatty handler cannot flood the scheduler: a value goes out only when
/// its whole percent differs from the last one sent, and never sooner than <c>interval</c> after it. A value
/// that comes too soon waits (replacing any waiting one) until <see cref="Flush"/> at the interval's end.
/// Times are offsets on one monotonic clock.
/// </summary>
internal sealed class ProgressThrottle(TimeSpan interval)
{
    private int? _lastSentWhole;
    private TimeSpan _lastSentAt;
    private double? _waiting;

    /// <summary>What to do with an offered value.</summary>
    public readonly record struct Step(double? Send, TimeSpan? FlushIn);

    /// <summary>The value waiting for the interval to pass, if any.</summary>
    public double? Waiting => _waiting;

    /// <summary>
    /// Offers <paramref name="percent"/> at <paramref name="now"/>: <see cref="Step.Send"/> is the value to report now,
    /// <see cref="Step.FlushIn"/> says to call <see cref="Flush"/> after that delay (only when nothing was waiting yet).
    /// </summary>
    public Step Offer(double percent, TimeSpan now)
    {
        if (Whole(percent) == _lastSentWhole)
        {
            // Back to the percent already reported: whatever was waiting is no longer news.
            _waiting = null;
            return default;
        }
        if (_lastSentWhole is null || now - _lastSentAt >= interval)
        {
            _waiting = null;
            Sent(percent, now);
            return new Step(percent, null);
        }
        var alreadyWaiting = _waiting is not null;
        _waiting = percent;
        return alreadyWaiting ? default : new Step(null, _lastSentAt + interval - now);
    }

    /// <summary>The waiting value to report now (null when none is waiting).</summary>
    public double? Flush(TimeSpan now)
    {
        if (_waiting is not { } percent) return null;
        _waiting = null;
        Sent(percent, now);
        return percent;
    }

    private void Sent(double percent, TimeSpan now)
    {
        _lastSentWhole = Whole(percent);
        _lastSentAt = now;
    }

    private static int Whole(double percent) => (int)Math.Floor(percent);
}
