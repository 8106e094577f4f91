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
    public void Racing_reports_of_the_same_whole_percent_are_forwarded_once()
    {
        var forwarded = new System.Collections.Concurrent.ConcurrentQueue<double>();
        var reporter = new ProgressReporter(forwarded.Enqueue);
        Parallel.For(0, 4, thread =>
        {
            for (var i = 0; i < 10_000; i++) reporter.Report(42 + (i % 100) / 100.0);
        });
        Assert.InRange(Assert.Single(forwarded), 42, 43);
    }
}
