using Lighthouse.Persistence;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>One journal write for many messages: each follow-up runs once its own events, and all before them, are written.</summary>
public sealed class JournalBatchTests
{
    private static SchedulerEvent Event(int n) => new TaskForgotten($"task-{n}", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Follow_ups_run_in_order_as_soon_as_their_events_are_written()
    {
        var batch = new JournalBatch();
        var ran = new List<string>();
        batch.Add([Event(1), Event(2)], () => ran.Add("first"));
        batch.AddAfter(() => ran.Add("reply without events"));
        batch.Add([Event(3)], () => ran.Add("second"));

        var (events, progress) = batch.Take();

        Assert.True(batch.IsEmpty);
        Assert.Equal(3, events.Count);
        progress.Written();
        Assert.Empty(ran);
        progress.Written();
        Assert.Equal(["first", "reply without events"], ran);
        Assert.False(progress.Complete);
        progress.Written();
        Assert.Equal(["first", "reply without events", "second"], ran);
        Assert.True(progress.Complete);
    }

    [Fact]
    public void A_follow_up_without_events_needs_something_to_wait_for()
    {
        var batch = new JournalBatch();
        Assert.Throws<InvalidOperationException>(() => batch.AddAfter(() => { }));
        Assert.Throws<ArgumentException>(() => batch.Add([], () => { }));
    }

    [Fact]
    public void What_is_gathered_after_a_take_goes_into_the_next_write()
    {
        var batch = new JournalBatch();
        var ran = new List<int>();
        batch.Add([Event(1)], () => ran.Add(1));
        var (_, first) = batch.Take();
        batch.Add([Event(2)], () => ran.Add(2));
        var (secondEvents, second) = batch.Take();

        second.Written();
        first.Written();

        Assert.Single(secondEvents);
        Assert.Equal([2, 1], ran);
    }
}
