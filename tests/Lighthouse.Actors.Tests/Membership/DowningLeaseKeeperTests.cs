using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Lighthouse.Membership;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Membership;

/// <summary>
/// The keeper that takes the downing lease for members without the lease's store refuses whoever is not a member asking
/// for itself, and any other lease: a hostile caller cannot take the lease that decides who is downed.
/// </summary>
public sealed class DowningLeaseKeeperTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private ActorSystem _host = null!;
    private ActorSystem _worker = null!;
    private IActorRef _keeper = null!;

    private static ActorSystem Start(string role) => ActorSystem.Create("lighthouse", ConfigurationFactory.ParseString($$"""
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.cluster.roles = ["{{role}}"]
        akka.loglevel = WARNING
        # A lease whose store would grant anything: the keeper must refuse before it asks.
        test-lease.lease-class = "Lighthouse.Actors.Tests.Membership.DowningLeaseKeeperTests+GrantingLease, Lighthouse.Actors.Tests"
        """).WithFallback(LighthouseConfig.Defaults));

    public async Task InitializeAsync()
    {
        _host = Start("scheduler");
        _worker = Start("worker");
        var host = Cluster.Get(_host);
        host.Join(host.SelfAddress);
        Cluster.Get(_worker).Join(host.SelfAddress);
        await Eventually.Holds(() => Task.FromResult(host.State.Members.Count(m => m.Status == MemberStatus.Up) == 2), "both members are up");
        _keeper = _host.ActorOf(DowningLeaseKeeper.Props("lighthouse-akka-sbr", "test-lease"), LighthouseNames.DowningLeaseKeeper);
    }

    public async Task DisposeAsync()
    {
        await _worker.Terminate();
        await _host.Terminate();
    }

    private Task<DowningLeaseAnswer> AskFromWorker(AcquireDowningLease request) =>
        _worker.ActorSelection(new RootActorPath(Cluster.Get(_host).SelfAddress) / "user" / LighthouseNames.DowningLeaseKeeper)
            .Ask<DowningLeaseAnswer>(request, Limit);

    private string WorkerOwner => $"{Cluster.Get(_worker).SelfAddress.HostPort()}#42";

    [Fact]
    public async Task A_sender_that_is_no_cluster_member_is_refused()
    {
        var before = GrantingLease.Granted;

        // A sender inside the host's process that has no cluster address is no member.
        var answer = await _keeper.Ask<DowningLeaseAnswer>(new AcquireDowningLease("lighthouse-akka-sbr", "127.0.0.1:1#1"), Limit);

        Assert.False(answer.Held);
        Assert.Equal(before, GrantingLease.Granted);
    }

    [Fact]
    public async Task A_member_asking_for_another_owner_or_another_lease_is_refused_and_one_asking_for_itself_gets_it()
    {
        var before = GrantingLease.Granted;

        var other = await AskFromWorker(new AcquireDowningLease("lighthouse-akka-sbr", "10.0.0.9:4053#7"));
        var wrongLease = await AskFromWorker(new AcquireDowningLease("another-lease", WorkerOwner));
        Assert.False(other.Held);
        Assert.False(wrongLease.Held);
        Assert.Equal(before, GrantingLease.Granted);

        var own = await AskFromWorker(new AcquireDowningLease("lighthouse-akka-sbr", WorkerOwner));
        Assert.True(own.Held);
        Assert.Equal(before + 1, GrantingLease.Granted);
    }

    /// <summary>A lease that grants whatever it is asked: what the keeper's refusals stand in front of.</summary>
    public sealed class GrantingLease(Akka.Coordination.LeaseSettings settings) : Akka.Coordination.Lease(settings)
    {
        private static int _granted;

        public static int Granted => Volatile.Read(ref _granted);

        public override Task<bool> Acquire() => Acquire(null!);

        public override Task<bool> Acquire(Action<Exception> leaseLostCallback)
        {
            Interlocked.Increment(ref _granted);
            return Task.FromResult(true);
        }

        public override Task<bool> Release() => Task.FromResult(true);

        public override bool CheckLease() => true;
    }
}
