using Akka.Actor;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// The pause fence's logic with a manual monotonic clock: when a frozen process is noticed (whichever thread wakes first),
/// and when a scheduler that was paused may act again (a majority of the scheduler members answered after it woke).
/// </summary>
public sealed class PauseFenceTests
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(500);
    private static readonly Address Self = new("akka.tcp", "lighthouse", "127.0.0.1", 4053);
    private static readonly Address H2 = new("akka.tcp", "lighthouse", "127.0.0.1", 4054);
    private static readonly Address H3 = new("akka.tcp", "lighthouse", "127.0.0.1", 4055);

    [Fact]
    public void Regular_beats_are_no_pause()
    {
        var clock = new ManualTimestamps();
        var watch = new PauseWatch(clock, Tolerance);
        long seen = 0;
        for (var i = 0; i < 50; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            watch.Stamp();
            Assert.False(watch.Paused(ref seen));
        }
        Assert.Equal(0, watch.Pauses);
    }

    [Fact]
    public void A_gap_up_to_the_tolerance_is_no_pause_and_one_over_it_is()
    {
        var clock = new ManualTimestamps();
        var watch = new PauseWatch(clock, Tolerance);
        long seen = 0;

        clock.Advance(Tolerance);
        Assert.False(watch.Paused(ref seen));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(watch.Paused(ref seen));
    }

    [Fact]
    public void The_scheduler_waking_before_the_watchdog_sees_the_pause_from_the_stale_stamp()
    {
        var clock = new ManualTimestamps();
        var watch = new PauseWatch(clock, Tolerance);
        long seen = 0;

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.True(watch.Paused(ref seen));
        Assert.Equal(5, watch.LastPause.TotalSeconds, precision: 3);
    }

    [Fact]
    public void The_watchdog_waking_first_counts_the_pause_so_the_scheduler_still_sees_it_after_the_fresh_stamp()
    {
        var clock = new ManualTimestamps();
        var watch = new PauseWatch(clock, Tolerance);
        long seen = 0;

        clock.Advance(TimeSpan.FromSeconds(5));
        watch.Stamp();

        Assert.Equal(1, watch.Pauses);
        Assert.True(watch.Paused(ref seen));
        Assert.Equal(5, watch.LastPause.TotalSeconds, precision: 3);
        // Seen once: the next look is clean again.
        Assert.False(watch.Paused(ref seen));
    }

    [Fact]
    public void A_pause_is_reported_once_to_each_look_however_many_beats_follow()
    {
        var clock = new ManualTimestamps();
        var watch = new PauseWatch(clock, Tolerance);
        long seen = 0;

        clock.Advance(TimeSpan.FromSeconds(2));
        watch.Stamp();
        clock.Advance(TimeSpan.FromMilliseconds(100));
        watch.Stamp();

        Assert.True(watch.Paused(ref seen));
        Assert.False(watch.Paused(ref seen));
        clock.Advance(TimeSpan.FromSeconds(3));
        watch.Stamp();
        Assert.True(watch.Paused(ref seen));
        Assert.Equal(2, watch.Pauses);
    }

    [Fact]
    public void An_open_fence_lets_everything_through()
    {
        var fence = new PauseFence();
        Assert.False(fence.Closed);
        Assert.True(fence.TryOpen(selfUp: false, [H2, H3]));
    }

    [Fact]
    public void A_closed_fence_opens_once_a_majority_with_itself_answered()
    {
        var fence = new PauseFence();
        var episode = fence.Close();

        Assert.False(fence.TryOpen(selfUp: true, [H2, H3]));
        fence.Answered(episode, H3);

        Assert.True(fence.TryOpen(selfUp: true, [H2, H3]));
        Assert.False(fence.Closed);
    }

    [Fact]
    public void With_two_hosts_the_other_one_must_answer()
    {
        var fence = new PauseFence();
        var episode = fence.Close();

        Assert.False(fence.TryOpen(selfUp: true, [H2]));
        fence.Answered(episode, H2);
        Assert.True(fence.TryOpen(selfUp: true, [H2]));
    }

    [Fact]
    public void A_scheduler_member_alone_opens_as_soon_as_it_is_up()
    {
        var fence = new PauseFence();
        fence.Close();

        Assert.False(fence.TryOpen(selfUp: false, []));
        Assert.True(fence.TryOpen(selfUp: true, []));
    }

    [Fact]
    public void A_member_that_is_no_longer_up_never_opens_whoever_answers()
    {
        var fence = new PauseFence();
        var episode = fence.Close();
        fence.Answered(episode, H2);
        fence.Answered(episode, H3);

        Assert.False(fence.TryOpen(selfUp: false, [H2, H3]));
        Assert.True(fence.Closed);
    }

    [Fact]
    public void Answers_to_an_earlier_closing_do_not_count()
    {
        var fence = new PauseFence();
        var first = fence.Close();
        fence.Answered(first, H2);
        Assert.True(fence.TryOpen(selfUp: true, [H2]));

        var second = fence.Close();
        fence.Answered(first, H2);
        Assert.False(fence.TryOpen(selfUp: true, [H2]));
        Assert.Equal([H2], fence.Unanswered([H2]));

        fence.Answered(second, H2);
        Assert.Empty(fence.Unanswered([H2]));
        Assert.True(fence.TryOpen(selfUp: true, [H2]));
    }

    [Fact]
    public void Answers_from_members_no_longer_known_do_not_count()
    {
        var fence = new PauseFence();
        var episode = fence.Close();
        fence.Answered(episode, Self);

        Assert.False(fence.TryOpen(selfUp: true, [H2, H3]));
    }

    /// <summary>A monotonic clock that moves only when the test says so.</summary>
    private sealed class ManualTimestamps : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Volatile.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
