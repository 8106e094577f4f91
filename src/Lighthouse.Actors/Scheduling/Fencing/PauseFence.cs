using Akka.Actor;

namespace Lighthouse.Scheduling;

/// <summary>
/// When a scheduler that was paused may act again. A paused member may have been downed and replaced meanwhile
/// (issue 13's chaos run: a host paused 5 s went on dispatching and journaling for 1.6 s next to its successor), and the
/// cluster state it holds on waking is as old as the pause. So it proves it is still a member in good standing: a
/// majority of the scheduler members it knows (itself included) must answer a probe sent after it woke. A member that
/// downed and removed it has quarantined it and answers nothing, so a replaced scheduler stays closed until its own
/// split-brain resolver downs it and it stops. A scheduler member alone in the cluster has nobody to be replaced by:
/// it opens as soon as it finds itself Up.
/// <para>
/// Plain state: the actor feeds it membership and answers; tests drive it directly.
/// </para>
/// </summary>
public sealed class PauseFence
{
    private readonly HashSet<Address> _answered = [];

    /// <summary>Whether the scheduler holds every message (a pause was seen and the fence has not opened since).</summary>
    public bool Closed { get; private set; }

    /// <summary>Which closing this is: probes carry it, so that an answer to an earlier closing's probe does not count.</summary>
    public long Episode { get; private set; }

    /// <summary>A pause was seen: close (again), forgetting earlier answers; returns the episode the probes must carry.</summary>
    public long Close()
    {
        Closed = true;
        Episode++;
        _answered.Clear();
        return Episode;
    }

    /// <summary>A peer answered a probe of <paramref name="episode"/>; an answer to an older episode is ignored.</summary>
    public void Answered(long episode, Address peer)
    {
        if (Closed && episode == Episode) _answered.Add(peer);
    }

    /// <summary>The peers that still have to be asked: those among <paramref name="peers"/> that have not answered this episode.</summary>
    public IEnumerable<Address> Unanswered(IEnumerable<Address> peers) => peers.Where(p => !_answered.Contains(p));

    /// <summary>
    /// Opens the fence if this member is Up (<paramref name="selfUp"/>) and itself with the peers that answered are a
    /// majority of itself and <paramref name="peers"/> (the other scheduler members it knows as Up or Leaving).
    /// Returns whether it is open.
    /// </summary>
    public bool TryOpen(bool selfUp, IReadOnlyCollection<Address> peers)
    {
        if (!Closed) return true;
        if (!selfUp) return false;
        var votes = 1 + peers.Count(_answered.Contains);
        if (votes * 2 <= peers.Count + 1) return false;
        Closed = false;
        return true;
    }

    /// <summary>How many answers of how many peers, for the log.</summary>
    public string Describe(IReadOnlyCollection<Address> peers) =>
        $"{peers.Count(_answered.Contains)} of {peers.Count} other scheduler member(s) answered";
}
