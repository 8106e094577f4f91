using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace Lighthouse.Scheduling;

// The pause fence: a scheduler whose process was frozen longer than the failure detector tolerates does nothing (no
// dispatch, no journal write, no answer) until a majority of the scheduler members answer it after it woke (PauseFence).
public sealed partial class SchedulerActor
{
    private const string FenceProbeTimer = "pause-fence-probe";
    private const string FenceProbePrefix = "lighthouse-pause-fence-";
    private static readonly TimeSpan FenceProbeInterval = TimeSpan.FromMilliseconds(250);

    private readonly PauseFence _fence = new();
    private PauseWatch? _pauseWatch;
    private PauseWatchdog? _watchdog;
    private long _pausesSeen;

    // Messages to nodes, clients and watchers that a journal write confirmed while the fence was closed: sent once it opens.
    private readonly List<(IActorRef To, object Message, Delivery How)> _heldSends = [];

    /// <summary>The watchdog runs only in a cluster: a scheduler outside one has no successor to fear.</summary>
    private void StartPauseWatch()
    {
        var tolerance = Context.System.Settings.Config.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause", TimeSpan.FromSeconds(3));
        _pauseWatch = new PauseWatch(TimeProvider.System, tolerance);
        _watchdog = new PauseWatchdog(_pauseWatch);
    }

    protected override void PostStop()
    {
        _watchdog?.Dispose();
        base.PostStop();
    }

    /// <summary>
    /// Whether the scheduler must hold what it is about to do: the fence is closed, or the process was just found to have
    /// been paused (which closes it). Open and unpaused, this is a flag test and one clock comparison.
    /// </summary>
    private bool Fenced()
    {
        if (_fence.Closed) return true;
        if (_pauseWatch is null || !_pauseWatch.Paused(ref _pausesSeen)) return false;
        CloseFence();
        return true;
    }

    private void CloseFence()
    {
        _fence.Close();
        _log.Warning("this process stood still for {0:0.0} s (the failure detector tolerates {1}): the other members may have downed it " +
            "and started a scheduler elsewhere, so this scheduler holds every message, dispatches nothing and writes nothing until a " +
            "majority of the scheduler members answer it", _pauseWatch!.LastPause.TotalSeconds, _pauseWatch.Tolerance);
        Probe();
        Timers.StartPeriodicTimer(FenceProbeTimer, FenceProbeDue.Instance, FenceProbeInterval);
    }

    /// <summary>
    /// While the fence is closed: answers to probes and probe ticks are handled, everything else is stashed (a client
    /// waiting meanwhile resends; submissions carry ids, so a resend is one task). If this member was downed, it stops
    /// with the stash unanswered, and clients resend to the successor.
    /// </summary>
    private void WhileFenced(object message)
    {
        switch (message)
        {
            case ActorIdentity { MessageId: string id, Subject: { } peer } when id.StartsWith(FenceProbePrefix, StringComparison.Ordinal):
                if (long.TryParse(id.AsSpan(FenceProbePrefix.Length), out var episode)) _fence.Answered(episode, peer.Path.Address);
                TryOpenFence();
                break;
            case ActorIdentity:
                break;
            case FenceProbeDue:
                Probe();
                TryOpenFence();
                break;
            default:
                Stash.Stash();
                break;
        }
    }

    /// <summary>Asks each scheduler member that has not answered yet, through its singleton manager (every scheduler host has one).</summary>
    private void Probe()
    {
        var identify = new Identify(FenceProbePrefix + _fence.Episode);
        foreach (var peer in _fence.Unanswered(SchedulerPeers()))
            Context.ActorSelection(new RootActorPath(peer) / "user" / LighthouseNames.SchedulerManager).Tell(identify, Self);
    }

    private IReadOnlyCollection<Address> SchedulerPeers()
    {
        var cluster = Cluster.Get(Context.System);
        return cluster.State.Members
            .Where(m => m.HasRole(LighthouseNames.SchedulerRole) && m.Status is MemberStatus.Up or MemberStatus.Leaving && m.UniqueAddress != cluster.SelfUniqueAddress)
            .Select(m => m.Address)
            .ToList();
    }

    private void TryOpenFence()
    {
        var cluster = Cluster.Get(Context.System);
        var peers = SchedulerPeers();
        if (!_fence.TryOpen(cluster.SelfMember.Status is MemberStatus.Up or MemberStatus.Leaving, peers)) return;
        Timers.Cancel(FenceProbeTimer);
        _log.Info("the scheduler acts again after a pause: {0}, a majority with this one", _fence.Describe(peers));
        var held = _heldSends.ToList();
        _heldSends.Clear();
        foreach (var (to, message, how) in held) Send(to, message, how);
        if (_flushScheduled) Flush();
        Stash.UnstashAll();
    }
}
