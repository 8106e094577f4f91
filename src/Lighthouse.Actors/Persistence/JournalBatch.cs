using Lighthouse.Scheduling;

namespace Lighthouse.Persistence;

/// <summary>
/// The events of every message the scheduler handled since its last journal write, gathered into one write of
/// one journal row (<see cref="EventBatch"/>; several only when they are very many or very large). Each message's
/// follow-up (its reply, its starts and cancels) runs once its own events are durable, in the order the messages
/// came; a follow-up without events of its own waits for the events gathered before it.
/// One row for many events costs the database one INSERT in one transaction, and the serializer one call,
/// instead of one of each per event: that is what keeps a durable scheduler's cost per task close to the
/// in-memory one.
/// </summary>
internal sealed class JournalBatch
{
    private List<SchedulerEvent> _events = [];
    private List<(int After, Action Done)> _followUps = [];

    public bool IsEmpty => _events.Count == 0;

    /// <summary>Gathers <paramref name="events"/> (at least one); <paramref name="done"/> runs once they are written.</summary>
    public void Add(IReadOnlyList<SchedulerEvent> events, Action done)
    {
        if (events.Count == 0) throw new ArgumentException("a batch entry needs at least one event", nameof(events));
        _events.AddRange(events);
        _followUps.Add((_events.Count, done));
    }

    /// <summary>Runs <paramref name="done"/> once every event gathered so far is written (the batch must not be empty).</summary>
    public void AddAfter(Action done)
    {
        if (IsEmpty) throw new InvalidOperationException("nothing gathered to wait for");
        _followUps.Add((_events.Count, done));
    }

    /// <summary>
    /// Takes the gathered events as the rows of one write, leaving the batch empty; the progress runs their
    /// follow-ups as the journal confirms the rows.
    /// </summary>
    public (IReadOnlyList<EventBatch> Rows, WriteProgress Progress) Take()
    {
        var taken = (EventBatch.Rows(_events), new WriteProgress(_events.Count, _followUps));
        _events = [];
        _followUps = [];
        return taken;
    }

    /// <summary>Counts the events of one write as the journal confirms its rows, running each follow-up when its events are in.</summary>
    internal sealed class WriteProgress(int total, List<(int After, Action Done)> followUps)
    {
        private int _written;
        private int _next;

        public bool Complete => _written == total;

        /// <summary>The journal confirmed a row of <paramref name="events"/> events (rows are confirmed in order).</summary>
        public void Written(int events)
        {
            if (events <= 0 || _written + events > total)
                throw new InvalidOperationException($"{events} events confirmed with {_written} of {total} already written");
            _written += events;
            while (_next < followUps.Count && followUps[_next].After <= _written) followUps[_next++].Done();
        }
    }
}

/// <summary>Sent by the scheduler to itself when it gathers the first event of a batch: every message already waiting is handled before the batch is written.</summary>
internal sealed record FlushJournal
{
    public static FlushJournal Instance { get; } = new();
}
