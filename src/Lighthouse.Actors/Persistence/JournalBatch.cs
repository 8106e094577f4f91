using Lighthouse.Scheduling;

namespace Lighthouse.Persistence;

/// <summary>
/// The events of every message the scheduler handled since its last journal write, gathered into one write.
/// Each message's follow-up (its reply, its starts and cancels) runs once its own events are durable, in the
/// order the messages came; a follow-up without events of its own waits for the events gathered before it.
/// One write of many events costs the database one transaction instead of one per message, which is what
/// keeps acknowledged submissions per second close to the in-memory rate.
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

    /// <summary>Takes the gathered events for one write, leaving the batch empty; the progress runs their follow-ups as they are written.</summary>
    public (IReadOnlyList<SchedulerEvent> Events, WriteProgress Progress) Take()
    {
        var taken = (_events, new WriteProgress(_events.Count, _followUps));
        _events = [];
        _followUps = [];
        return taken;
    }

    /// <summary>Counts the events of one write as the journal confirms them, running each follow-up when its events are in.</summary>
    internal sealed class WriteProgress(int total, List<(int After, Action Done)> followUps)
    {
        private int _written;
        private int _next;

        public bool Complete => _written == total;

        public void Written()
        {
            _written++;
            while (_next < followUps.Count && followUps[_next].After <= _written) followUps[_next++].Done();
        }
    }
}

/// <summary>Sent by the scheduler to itself when it gathers the first event of a batch: every message already waiting is handled before the batch is written.</summary>
internal sealed record FlushJournal
{
    public static FlushJournal Instance { get; } = new();
}
