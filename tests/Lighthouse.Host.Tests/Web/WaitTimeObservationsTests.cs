using Lighthouse.Host.Web.Metrics;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Tests.Web;

/// <summary>The dispatch latency histogram's source: waits new since the previous scrape, from cumulative statistics.</summary>
public sealed class WaitTimeObservationsTests
{
    [Fact]
    public void The_first_look_takes_every_wait_so_far_at_their_mean_and_later_looks_only_the_new_ones()
    {
        var observations = new WaitTimeObservations();

        var first = observations.Next(View(("echo", 4, 2.0)));
        // Two more waits of 5 s each: total 4 × 2 + 2 × 5 = 18 over 6, a mean of 3.
        var second = observations.Next(View(("echo", 6, 3.0)));
        var third = observations.Next(View(("echo", 6, 3.0)));

        Assert.Equal([new WaitObservation("echo", 4, 2.0)], first);
        Assert.Equal("echo", Assert.Single(second).TaskName);
        Assert.Equal(2, second[0].Count);
        Assert.Equal(5.0, second[0].MeanSeconds, precision: 6);
        Assert.Empty(third);
    }

    [Fact]
    public void Task_names_are_followed_apart_and_names_without_waits_are_skipped()
    {
        var observations = new WaitTimeObservations();
        observations.Next(View(("echo", 1, 1.0), ("sleep", 2, 4.0)));

        var next = observations.Next(View(("echo", 1, 1.0), ("never-started", 0, 0), ("sleep", 3, 5.0)));

        Assert.Equal([new WaitObservation("sleep", 1, 7.0)], next.Select(o => o with { MeanSeconds = Math.Round(o.MeanSeconds, 6) }));
    }

    [Fact]
    public void A_count_that_went_down_means_a_restarted_scheduler_whose_waits_are_all_new()
    {
        var observations = new WaitTimeObservations();
        observations.Next(View(("echo", 10, 1.0)));

        var afterRestart = observations.Next(View(("echo", 3, 0.5)));

        Assert.Equal([new WaitObservation("echo", 3, 0.5)], afterRestart);
    }

    private static StatisticsView View(params (string Name, int Waits, double MeanSeconds)[] names) => new(names
        .Select(n => new TaskNameStatistics(n.Name, n.Waits, n.Waits, 0, 0,
            n.Waits == 0 ? null : new DurationSummary(n.Waits, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)),
            n.Waits == 0 ? null : new DurationSummary(n.Waits, TimeSpan.Zero, TimeSpan.FromSeconds(n.MeanSeconds), TimeSpan.FromSeconds(n.MeanSeconds * 2))))
        .ToList());
}
