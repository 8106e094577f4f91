using Lighthouse.Hosting;

namespace Lighthouse.Actors.Tests.Hosting;

public sealed class RejoinPacingTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(2);

    [Fact]
    public void Removed_soon_after_joining_waits_1_s_then_doubles_up_to_30_s()
    {
        var pacing = new RejoinPacing();
        var delays = Enumerable.Range(0, 7).Select(_ => pacing.Next(Short).TotalSeconds).ToList();
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], delays);
    }

    [Fact]
    public void A_healthy_life_rejoins_at_once_and_starts_the_doubling_over()
    {
        var pacing = new RejoinPacing();
        pacing.Next(Short);
        pacing.Next(Short);
        Assert.Equal(TimeSpan.Zero, pacing.Next(RejoinPacing.HealthyLife));
        Assert.Equal(RejoinPacing.FirstDelay, pacing.Next(Short));
    }
}
