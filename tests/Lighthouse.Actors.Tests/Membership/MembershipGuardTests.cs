using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using Lighthouse.Actors.Tests.Hosting;
using Lighthouse.Actors.Tests.Security;
using Lighthouse.Membership;
using Lighthouse.Security;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Membership;

/// <summary>
/// Real cluster members on loopback over mutual TLS: a host with the membership guard, and members that join it with
/// certificates and roles that fit or not. Those that cannot prove their role are downed; a genuine worker stays.
/// </summary>
public sealed class MembershipGuardTests : IAsyncLifetime
{
    private static readonly TestAuthority Ours = TestAuthority.Shared;
    private static readonly MembershipGuardSettings Quick = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    private readonly List<ActorSystem> _systems = [];
    private readonly ConcurrentQueue<ClusterEvent.MemberRemoved> _removed = new();
    private ActorSystem _host = null!;
    private IActorRef _guard = null!;

    private sealed class RemovedMembers : ReceiveActor
    {
        public RemovedMembers(ConcurrentQueue<ClusterEvent.MemberRemoved> seen)
        {
            Receive<ClusterEvent.MemberRemoved>(seen.Enqueue);
            ReceiveAny(_ => { });
        }
    }

    public async Task InitializeAsync()
    {
        _host = Start(Ours.Credentials(LighthouseRole.Host, "h1"), $"\"{LighthouseNames.SchedulerRole}\"");
        var cluster = Cluster.Get(_host);
        cluster.Join(cluster.SelfAddress);
        await Eventually.Holds(() => Task.FromResult(cluster.SelfMember.Status == MemberStatus.Up), "the host is up");
        cluster.Subscribe(_host.ActorOf(Props.Create(() => new RemovedMembers(_removed))), typeof(ClusterEvent.MemberRemoved));
        LighthouseMembership.StartResponder(_host);
        _guard = LighthouseMembership.StartGuard(_host, Quick)!;
    }

    private ActorSystem Start(TlsCredentials credentials, string roles)
    {
        var system = ActorSystem.Create(LighthouseNames.ActorSystem, RemoteTls.Bootstrap(RemoteTestSystems.Cluster(roles), credentials));
        _systems.Add(system);
        return system;
    }

    private Address JoinHost(TlsCredentials credentials, string role, bool answers = true)
    {
        var member = Start(credentials, $"\"{role}\"");
        if (answers) Assert.NotNull(LighthouseMembership.StartResponder(member));
        Cluster.Get(member).Join(Cluster.Get(_host).SelfAddress);
        return Cluster.Get(member).SelfAddress;
    }

    private Task DownedAsync(Address member) => Eventually.Holds(
        () => Task.FromResult(_removed.Any(r => r.Member.Address.Equals(member) && r.PreviousStatus == MemberStatus.Down)),
        $"{member} is downed and removed by the host",
        context: () => string.Join("; ", Cluster.Get(_host).State.Members.Select(m => $"{m.Address} {m.Status}")));

    [Fact]
    public async Task A_worker_with_a_worker_certificate_is_admitted_and_stays_up()
    {
        var worker = JoinHost(Ours.Credentials(LighthouseRole.Worker, "w1"), LighthouseNames.WorkerRole);

        await Eventually.Holds(async () => (await _guard.Ask<AdmittedMembers>(GetAdmittedMembers.Instance, TimeSpan.FromSeconds(3))).Members.Contains(worker),
            "the guard admits the worker");
        await Eventually.Holds(() => Task.FromResult(Cluster.Get(_host).State.Members.Any(m => m.Address.Equals(worker) && m.Status == MemberStatus.Up)),
            "the worker is up");
        // Past the guard's deadline: nothing downs an admitted member later.
        await Task.Delay(Quick.Deadline + Quick.RetryInterval);
        Assert.Contains(Cluster.Get(_host).State.Members, m => m.Address.Equals(worker) && m.Status == MemberStatus.Up);
        Assert.DoesNotContain(_removed, r => r.Member.Address.Equals(worker));
    }

    [Fact]
    public async Task A_client_certificate_joining_with_role_scheduler_is_downed()
    {
        var intruder = JoinHost(Ours.Credentials(LighthouseRole.Client, "ci", "alice"), LighthouseNames.SchedulerRole);

        await DownedAsync(intruder);
    }

    [Fact]
    public async Task A_worker_certificate_joining_with_role_scheduler_is_downed()
    {
        var intruder = JoinHost(Ours.Credentials(LighthouseRole.Worker, "w1"), LighthouseNames.SchedulerRole);

        await DownedAsync(intruder);
    }

    [Fact]
    public async Task A_member_that_never_answers_is_downed_after_the_deadline()
    {
        var silent = JoinHost(Ours.Credentials(LighthouseRole.Host, "h2"), LighthouseNames.SchedulerRole, answers: false);

        await DownedAsync(silent);
    }

    public Task DisposeAsync() =>
        Task.WhenAll(_systems.Select(s => s.Terminate().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default)));
}
