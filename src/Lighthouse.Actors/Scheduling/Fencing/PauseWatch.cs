namespace Lighthouse.Scheduling;

/// <summary>
/// Tells whether this process was frozen (SIGSTOP, a suspended VM, a very long garbage collection) since the scheduler
/// last looked. A pause stops every thread, so the watchdog (<see cref="PauseWatchdog"/>) stamps a monotonic clock every
/// fraction of <see cref="Tolerance"/>; a gap over the tolerance, seen either by the watchdog when it wakes or by the
/// scheduler before the watchdog has run again, is a pause. Both are checked because which thread runs first after a
/// SIGCONT is up to the operating system.
/// <para>
/// The tolerance is the failure detector's acceptable heartbeat pause: a shorter freeze cannot make this member
/// unreachable, so it cannot have been downed and replaced meanwhile. A longer one might have been.
/// </para>
/// <para>
/// <see cref="Paused"/> costs one clock read and two volatile reads: it is called for every message the scheduler handles.
/// </para>
/// </summary>
public sealed class PauseWatch
{
    private readonly TimeProvider _clock;
    private readonly long _toleranceTicks;
    private long _stamp;
    private long _pauses;
    private long _longestTicks;

    public PauseWatch(TimeProvider clock, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tolerance, TimeSpan.Zero);
        _clock = clock;
        Tolerance = tolerance;
        _toleranceTicks = (long)(tolerance.TotalSeconds * clock.TimestampFrequency);
        _stamp = clock.GetTimestamp();
    }

    /// <summary>A gap between stamps longer than this is a pause.</summary>
    public TimeSpan Tolerance { get; }

    /// <summary>How many pauses the watchdog has seen.</summary>
    public long Pauses => Volatile.Read(ref _pauses);

    /// <summary>
    /// The watchdog's beat: a gap since the last stamp over the tolerance counts as a pause (counted before the stamp
    /// moves, so that a reader who sees the new stamp also sees the count).
    /// </summary>
    public void Stamp()
    {
        var now = _clock.GetTimestamp();
        var gap = now - Volatile.Read(ref _stamp);
        if (gap > _toleranceTicks)
        {
            Volatile.Write(ref _longestTicks, gap);
            Interlocked.Increment(ref _pauses);
        }
        Volatile.Write(ref _stamp, now);
    }

    /// <summary>
    /// Whether the process was paused since the caller's last look (<paramref name="seen"/>, the pause count it
    /// last saw, moved on when this answers true): the watchdog counted a pause the caller has not seen, or it has not
    /// stamped for longer than the tolerance (the caller woke first). The stamp is read before the count (see <see cref="Stamp"/>).
    /// </summary>
    public bool Paused(ref long seen)
    {
        var stamp = Volatile.Read(ref _stamp);
        var pauses = Volatile.Read(ref _pauses);
        if (_clock.GetTimestamp() - stamp <= _toleranceTicks && pauses == seen) return false;
        seen = pauses;
        return true;
    }

    /// <summary>How long the process stood still, as far as can be told now: the current gap, or the last pause the watchdog measured.</summary>
    public TimeSpan LastPause
    {
        get
        {
            var current = _clock.GetTimestamp() - Volatile.Read(ref _stamp);
            var ticks = Math.Max(current, Volatile.Read(ref _longestTicks));
            return TimeSpan.FromSeconds((double)ticks / _clock.TimestampFrequency);
        }
    }
}
