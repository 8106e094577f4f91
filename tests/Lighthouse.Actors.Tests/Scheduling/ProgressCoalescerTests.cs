using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

public sealed class ProgressCoalescerTests
{
    [Fact]
    public void The_latest_progress_per_task_is_kept_in_first_report_order()
    {
        var held = new ProgressCoalescer();
        Assert.True(held.Hold(new ReportProgress("a", 1)));
        Assert.False(held.Hold(new ReportProgress("b", 2)));
        Assert.False(held.Hold(new ReportProgress("a", 3)));

        Assert.Equal([new ReportProgress("a", 3), new ReportProgress("b", 2)], held.TakeAll());
        Assert.True(held.IsEmpty);
        Assert.True(held.Hold(new ReportProgress("a", 4)));
    }

    [Fact]
    public void A_tasks_progress_is_taken_alone_and_then_no_longer_held()
    {
        var held = new ProgressCoalescer();
        held.Hold(new ReportProgress("a", 1));
        held.Hold(new ReportProgress("b", 2));

        Assert.Equal(new ReportProgress("a", 1), held.Take("a"));
        Assert.Null(held.Take("a"));
        Assert.Null(held.Take("c"));
        Assert.Equal([new ReportProgress("b", 2)], held.TakeAll());
        Assert.Null(held.Take("b"));
    }
}
