using Lighthouse.Persistence;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// One journal write for many messages, as one row: each follow-up runs once its own events, and all before them,
/// are written; only very many or very large events take more than one row.
/// </summary>
public sealed class JournalBatchTests
{
    private static SchedulerEvent Event(int n) => new TaskForgotten($"task-{n}", DateTimeOffset.UnixEpoch);

    private static SchedulerEvent Finished(int n, int resultLength) =>
        new TaskFinished($"task-{n}", TaskState.Succeeded, new string('x', resultLength), null, DateTimeOffset.UnixEpoch);

    [Fact]
    public void The_events_of_many_messages_are_one_row_and_every_follow_up_runs_in_order_once_it_is_written()
    {
        var batch = new JournalBatch();
        var ran = new List<string>();
        batch.Add([Event(1), Event(2)], () => ran.Add("first"));
        batch.AddAfter(() => ran.Add("reply without events"));
        batch.Add([Event(3)], () => ran.Add("second"));

        var (rows, progress) = batch.Take();

        Assert.True(batch.IsEmpty);
        var row = Assert.Single(rows);
        Assert.Equal([Event(1), Event(2), Event(3)], row.Events);
        Assert.Empty(ran);
        Assert.False(progress.Complete);
        progress.Written(row.Events.Count);
        Assert.Equal(["first", "reply without events", "second"], ran);
        Assert.True(progress.Complete);
    }

    [Fact]
    public void Rows_confirmed_one_by_one_run_each_follow_up_when_its_events_are_in()
    {
        var batch = new JournalBatch();
        var ran = new List<string>();
        var events = Enumerable.Range(0, EventBatch.MaxEvents + 5).Select(Event).ToArray();
        batch.Add(events[..3], () => ran.Add("first"));
        batch.Add(events[3..EventBatch.MaxEvents], () => ran.Add("fills the first row"));
        batch.AddAfter(() => ran.Add("reply without events"));
        batch.Add(events[EventBatch.MaxEvents..], () => ran.Add("in the second row"));

        var (rows, progress) = batch.Take();

        Assert.Equal([EventBatch.MaxEvents, 5], rows.Select(r => r.Events.Count));
        Assert.Equal(events, rows.SelectMany(r => r.Events));
        progress.Written(rows[0].Events.Count);
        Assert.Equal(["first", "fills the first row", "reply without events"], ran);
        Assert.False(progress.Complete);
        progress.Written(rows[1].Events.Count);
        Assert.Equal("in the second row", ran[^1]);
        Assert.True(progress.Complete);
        Assert.Throws<InvalidOperationException>(() => progress.Written(1));
    }

    [Fact]
    public void Large_texts_start_a_new_row_past_the_row_size_but_a_single_large_event_goes_alone()
    {
        var quarter = EventBatch.MaxBytes / 3 / 4;
        var huge = EventBatch.MaxBytes;
        SchedulerEvent[] events = [Finished(1, quarter), Finished(2, quarter), Finished(3, quarter), Finished(4, quarter), Finished(5, huge), Event(6)];

        var rows = EventBatch.Rows(events);

        // Each text counts as up to 3 bytes per character: four quarters (and their fixed parts) do not fit one row.
        Assert.Equal([3, 1, 1, 1], rows.Select(r => r.Events.Count));
        Assert.Equal(events, rows.SelectMany(r => r.Events));
    }

    [Fact]
    public void A_follow_up_without_events_needs_something_to_wait_for()
    {
        var batch = new JournalBatch();
        Assert.Throws<InvalidOperationException>(() => batch.AddAfter(() => { }));
        Assert.Throws<ArgumentException>(() => batch.Add([], () => { }));
        Assert.Throws<ArgumentException>(() => EventBatch.Rows([]));
    }

    [Fact]
    public void What_is_gathered_after_a_take_goes_into_the_next_write()
    {
        var batch = new JournalBatch();
        var ran = new List<int>();
        batch.Add([Event(1)], () => ran.Add(1));
        var (_, first) = batch.Take();
        batch.Add([Event(2)], () => ran.Add(2));
        var (secondRows, second) = batch.Take();

        second.Written(1);
        first.Written(1);

        Assert.Equal([Event(2)], Assert.Single(secondRows).Events);
        Assert.Equal([2, 1], ran);
    }
}
