namespace Lighthouse.Hosting;

/// <summary>
/// How long a process waits before it starts a new ActorSystem after the cluster removed its previous one (downed
/// after a long pause, a frozen VM, a partition): at once after a healthy life, else 1 s, doubling up to 30 s while
/// incarnations keep being removed soon after they joined, so that a node the cluster keeps refusing does not churn.
/// <c>lighthouse serve</c> and <c>lighthouse-worker</c> both rejoin this way; an application embedding Lighthouse that
/// wants the same can use it.
/// </summary>
public sealed class RejoinPacing
{
    /// <summary>An incarnation that lived at least this long counts as healthy: the next rejoin is at once.</summary>
    public static readonly TimeSpan HealthyLife = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MostDelay = TimeSpan.FromSeconds(30);

    private TimeSpan _delay = TimeSpan.Zero;

    /// <summary>The wait before the next incarnation, given how long the one just removed lived.</summary>
    public TimeSpan Next(TimeSpan lived)
    {
        _delay = lived >= HealthyLife ? TimeSpan.Zero
            : _delay == TimeSpan.Zero ? FirstDelay
            : TimeSpan.FromTicks(Math.Min(MostDelay.Ticks, _delay.Ticks * 2));
        return _delay;
    }
}
