using Lighthouse.Worker.Agent;

namespace Lighthouse.Worker.Tests.Agent;

public sealed class ProgressReporterTests
{
    [Fact]
    public void Passes_on_only_changes_of_the_whole_percent_clamped_to_0_100_without_NaN()
    {
        var forwarded = new List<double>();
        var reporter = new ProgressReporter(forwarded.Add);
        foreach (var value in new[] { -3, 0.5, 0.9, double.NaN, 1.2, 1.7, 55, 150, 100, 99.9 })
            reporter.Report(value);
        Assert.Equal([0, 1.2, 55, 100, 99.9], forwarded);
    }

    [Fact]
    public void Reports_from_many_threads_forward_each_whole_percent_at_most_once_in_a_row()
    {
        var forwarded = new System.Collections.Concurrent.ConcurrentQueue<double>();
        var reporter = new ProgressReporter(forwarded.Enqueue);
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 10_000; i++) reporter.Report(i / 100.0);
        });
        Assert.All(forwarded, v => Assert.InRange(v, 0, 100));
        // Four threads racing over the same 100 percents: each forward moved the whole percent, so far fewer than 40,000.
        Assert.InRange(forwarded.Count, 1, 4 * 101);
    }
}
