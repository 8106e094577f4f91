using Lighthouse.Worker.Agent;

namespace Lighthouse.Worker.Tests.Agent;

public sealed class ProgressThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void The_first_value_goes_out_at_once()
    {
        var throttle = new ProgressThrottle(Interval);
        Assert.Equal(new ProgressThrottle.Step(0, null), throttle.Offer(0, Ms(0)));
    }

    [Fact]
    public void A_value_within_the_same_whole_percent_is_dropped()
    {
        var throttle = new ProgressThrottle(Interval);
        throttle.Offer(12.1, Ms(0));
        Assert.Equal(default, throttle.Offer(12.9, Ms(500)));
        Assert.Null(throttle.Waiting);
    }

    [Fact]
    public void A_value_too_soon_waits_and_the_latest_one_is_flushed_at_the_end_of_the_interval()
    {
        var throttle = new ProgressThrottle(Interval);
        throttle.Offer(1, Ms(0));

        Assert.Equal(new ProgressThrottle.Step(null, Ms(70)), throttle.Offer(2, Ms(30)));
        // Already waiting: no second flush is asked for, the waiting value is replaced.
        Assert.Equal(default, throttle.Offer(7, Ms(40)));
        Assert.Equal(default, throttle.Offer(9, Ms(50)));

        Assert.Equal(9, throttle.Flush(Ms(100)));
        Assert.Null(throttle.Flush(Ms(101)));
    }

    [Fact]
    public void After_the_interval_a_new_whole_percent_goes_out_at_once()
    {
        var throttle = new ProgressThrottle(Interval);
        throttle.Offer(1, Ms(0));
        Assert.Equal(new ProgressThrottle.Step(2, null), throttle.Offer(2, Ms(100)));
        Assert.Equal(new ProgressThrottle.Step(null, Ms(100)), throttle.Offer(3, Ms(100)));
    }

    [Fact]
    public void Going_back_to_the_percent_already_sent_cancels_the_waiting_value()
    {
        var throttle = new ProgressThrottle(Interval);
        throttle.Offer(40, Ms(0));
        throttle.Offer(41, Ms(10));
        throttle.Offer(40.5, Ms(20));
        Assert.Null(throttle.Flush(Ms(100)));
    }

    [Fact]
    public void A_flood_of_values_within_one_interval_yields_two_reports()
    {
        var throttle = new ProgressThrottle(Interval);
        var sent = new List<double>();
        for (var i = 0; i <= 10_000; i++)
        {
            if (throttle.Offer(i / 100.0, Ms(i / 1000)).Send is { } now) sent.Add(now);
        }
        if (throttle.Flush(Ms(100)) is { } last) sent.Add(last);
        Assert.Equal([0, 100], sent);
    }
}
