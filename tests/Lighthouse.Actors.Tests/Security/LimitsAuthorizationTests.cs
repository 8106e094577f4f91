using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Security;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Security;

/// <summary>
/// Concurrency limits are admin only (docs/authorization.md): on a scheduler with TLS credentials a client certificate may
/// neither read nor change them, nor may a worker or a sender without a session, and a refused change changes nothing.
/// </summary>
public sealed class LimitsAuthorizationTests(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(RemoteTls.Bootstrap(ConfigurationFactory.ParseString("akka.loglevel = WARNING"), Ours.Credentials(LighthouseRole.Host, "h1")), "secure-limits", output)
{
    private static readonly TestAuthority Ours = TestAuthority.Shared;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TlsCredentials Alice = Ours.Credentials(LighthouseRole.Client, "ci", "alice");
    private static readonly TlsCredentials Admin = Ours.Credentials(LighthouseRole.Admin, "ops");
    private static readonly TlsCredentials W1 = Ours.Credentials(LighthouseRole.Worker, "w1");

    private IActorRef StartScheduler() =>
        Sys.ActorOf(SchedulerActor.Props(SchedulerSettings.Default with { ConcurrencyLimits = new Dictionary<string, int> { ["db"] = 2 } }));

    private string Open(IActorRef scheduler, TlsCredentials credentials)
    {
        var probe = CreateTestProbe();
        scheduler.Tell(SessionProof.Create(credentials), probe.Ref);
        return probe.ExpectMsg<SessionOpened>(Wait).Token;
    }

    private object Ask(IActorRef scheduler, object message)
    {
        var probe = CreateTestProbe();
        scheduler.Tell(message, probe.Ref);
        return probe.ExpectMsg<object>(Wait);
    }

    private ConcurrencyKeyView DbAsAdmin(IActorRef scheduler) =>
        Assert.IsType<ConcurrencyLimitsView>(Ask(scheduler, new Authorized(Open(scheduler, Admin), GetConcurrencyLimits.Instance))).Keys.Single(k => k.Key == "db");

    [Fact]
    public void A_client_certificate_can_neither_read_nor_change_limits_and_nothing_changes()
    {
        var scheduler = StartScheduler();
        var token = Open(scheduler, Alice);

        var read = Assert.IsType<NotAuthorized>(Ask(scheduler, new Authorized(token, GetConcurrencyLimits.Instance)));
        var set = Assert.IsType<NotAuthorized>(Ask(scheduler, new Authorized(token, new SetConcurrencyLimit("db", 50))));
        var correlated = Assert.IsType<CorrelatedAnswer>(Ask(scheduler, new Authorized(token, new CorrelatedRequest(9, new SetConcurrencyLimit("db", null)))));

        Assert.Equal("permission denied: client \"ci\" for alice may not read the cluster's concurrency limits (admin only)", read.Reason);
        Assert.StartsWith("permission denied", set.Reason);
        Assert.Contains("may not change concurrency limits (admin only)", set.Reason);
        Assert.Equal(9, correlated.CorrelationId);
        Assert.IsType<NotAuthorized>(correlated.Answer);
        Assert.Equal(new ConcurrencyKeyView("db", 2, 2, null, 0, 0, 0), DbAsAdmin(scheduler));
    }

    [Fact]
    public void A_worker_certificate_and_a_sender_without_a_session_are_refused_too()
    {
        var scheduler = StartScheduler();

        Assert.StartsWith("permission denied", Assert.IsType<NotAuthorized>(Ask(scheduler, new Authorized(Open(scheduler, W1), new SetConcurrencyLimit("db", 9)))).Reason);
        Assert.StartsWith("permission denied", Assert.IsType<NotAuthorized>(Ask(scheduler, new SetConcurrencyLimit("db", 9))).Reason);
        Assert.StartsWith("permission denied", Assert.IsType<NotAuthorized>(Ask(scheduler, GetConcurrencyLimits.Instance)).Reason);
        Assert.Equal(2, DbAsAdmin(scheduler).Limit);
    }

    [Fact]
    public void An_admin_sets_and_removes_a_runtime_limit_and_a_bad_one_is_refused_naming_the_key()
    {
        var scheduler = StartScheduler();
        var token = Open(scheduler, Admin);

        var set = Assert.IsType<ConcurrencyLimitSet>(Ask(scheduler, new Authorized(token, new SetConcurrencyLimit("db", 5))));
        Assert.Equal(new ConcurrencyKeyView("db", 5, 2, 5, 0, 0, 0), set.Key);
        var bad = Assert.IsType<ConcurrencyLimitRejected>(Ask(scheduler, new Authorized(token, new SetConcurrencyLimit("db", -3))));
        Assert.Contains("limit -3 is invalid", bad.Reason);
        var removed = Assert.IsType<ConcurrencyLimitSet>(Ask(scheduler, new Authorized(token, new SetConcurrencyLimit("db", null))));
        Assert.Equal(new ConcurrencyKeyView("db", 2, 2, null, 0, 0, 0), removed.Key);
    }
}
