using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// A ring of fixed-length intervals: tasks submitted, started and finished in each, and the queue
/// depth and running count at its end. It is fed by the events themselves (their time stamps pick the
/// interval), so replaying the events rebuilds it and no timer is needed; intervals without events are
/// filled in when read.
/// </summary>
internal sealed class ThroughputHistory
{
    private readonly long _intervalTicks;
    private readonly int _capacity;
    private readonly Queue<Bucket> _buckets = new();
    private Bucket? _last;

    public ThroughputHistory(TimeSpan interval, TimeSpan length)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "the history interval must be positive");
        _intervalTicks = interval.Ticks;
        _capacity = Math.Max(1, (int)Math.Ceiling(length.Ticks / (double)interval.Ticks));
    }

    public TimeSpan Interval => TimeSpan.FromTicks(_intervalTicks);

    /// <summary>Adds one event's counts at <paramref name="at"/> and the depths after it.</summary>
    public void Record(DateTimeOffset at, int submitted, int started, int finished, int queued, int running)
    {
        var index = at.UtcTicks / _intervalTicks;
        // A clock that went back adds to the latest interval rather than rewriting the past.
        if (_last is null || index > _last.Index)
        {
            _last = new Bucket(index);
            _buckets.Enqueue(_last);
            while (_buckets.Peek().Index <= index - _capacity) _buckets.Dequeue();
        }
        _last.Submitted += submitted;
        _last.Started += started;
        _last.Finished += finished;
        _last.Queued = queued;
        _last.Running = running;
    }

    /// <summary>The samples of the last intervals up to <paramref name="now"/>, oldest first, starting at the first recorded one.</summary>
    public IReadOnlyList<HistorySample> View(DateTimeOffset now)
    {
        if (_last is null) return [];
        var nowIndex = Math.Max(now.UtcTicks / _intervalTicks, _last.Index);
        var from = nowIndex - _capacity + 1;
        var samples = new List<HistorySample>();
        int queued = 0, running = 0;
        using var recorded = _buckets.GetEnumerator();
        var next = recorded.MoveNext() ? recorded.Current : null;
        var start = Math.Max(from, next!.Index);
        // Intervals that fell out of the window only carry their depths forward.
        while (next is not null && next.Index < start)
        {
            (queued, running) = (next.Queued, next.Running);
            next = recorded.MoveNext() ? recorded.Current : null;
        }
        for (var index = start; index <= nowIndex; index++)
        {
            if (next is not null && next.Index == index)
            {
                (queued, running) = (next.Queued, next.Running);
                samples.Add(Sample(index, next.Submitted, next.Started, next.Finished, queued, running));
                next = recorded.MoveNext() ? recorded.Current : null;
            }
            else
            {
                samples.Add(Sample(index, 0, 0, 0, queued, running));
            }
        }
        return samples;
    }

    /// <summary>The recorded intervals, oldest first (what a snapshot records).</summary>
    public IReadOnlyList<HistoryBucket> Export() =>
        _buckets.Select(b => new HistoryBucket(b.Index, b.Submitted, b.Started, b.Finished, b.Queued, b.Running)).ToList();

    /// <summary>
    /// Puts back the intervals a snapshot recorded into this empty history, oldest first. Only as many of the
    /// latest as this history's length holds are kept.
    /// </summary>
    public void Import(IEnumerable<HistoryBucket> buckets)
    {
        if (_last is not null) throw new InvalidOperationException("history can only be restored when empty");
        foreach (var recorded in buckets)
        {
            if (_last is not null && recorded.Index <= _last.Index)
                throw new InvalidOperationException($"history interval {recorded.Index} follows interval {_last.Index}: intervals must be in order");
            _last = new Bucket(recorded.Index)
            {
                Submitted = recorded.Submitted,
                Started = recorded.Started,
                Finished = recorded.Finished,
                Queued = recorded.Queued,
                Running = recorded.Running,
            };
            _buckets.Enqueue(_last);
        }
        while (_last is not null && _buckets.Peek().Index <= _last.Index - _capacity) _buckets.Dequeue();
    }

    private HistorySample Sample(long index, int submitted, int started, int finished, int queued, int running) =>
        new(new DateTimeOffset(index * _intervalTicks, TimeSpan.Zero), submitted, started, finished, queued, running);

    private sealed class Bucket(long index)
    {
        public long Index { get; } = index;
        public int Submitted;
        public int Started;
        public int Finished;
        public int Queued;
        public int Running;
    }
}

/// <summary>One recorded interval of <see cref="ThroughputHistory"/>: its index (time / interval) and its counts.</summary>
internal sealed record HistoryBucket(long Index, int Submitted, int Started, int Finished, int Queued, int Running);
