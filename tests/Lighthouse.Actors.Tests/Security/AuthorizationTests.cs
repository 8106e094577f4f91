using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Security;

namespace Lighthouse.Actors.Tests.Security;

/// <summary>The authorization table, line by line, with hostile callers (docs/authorization.md names these tests).</summary>
public sealed class AuthorizationTests
{
    private static readonly CertificateIdentity Host = new(LighthouseRole.Host, "h1", []);
    private static readonly CertificateIdentity Admin = new(LighthouseRole.Admin, "ops", []);
    private static readonly CertificateIdentity Alice = new(LighthouseRole.Client, "ci", ["alice"]);
    private static readonly CertificateIdentity W1 = new(LighthouseRole.Worker, "w1", []);

    // t-alice is alice's, t-bob bob's; anything else is unknown.
    private static string? Owner(string taskId) => taskId switch { "t-alice" => "alice", "t-bob" => "bob", _ => null };

    private static string? Refusal(CertificateIdentity who, object request) => Authorization.Refusal(who, request, Owner);

    private static RegisterWorker Registration(string node) => new(node, new Dictionary<string, double>(), ["echo"], PriorityRange.All, 1);

    private static readonly object[] Requests =
    [
        new SubmitTask("echo", "{}", "bob"), new ListTasks("bob"), new GetTaskStatus("t-bob"), new WatchTask("t-bob"), new CancelTask("t-bob"),
        GetNodes.Instance, GetQueues.Instance, GetStatistics.Instance, new GetStatistics(20), GetHistory.Instance, Registration("w2"),
    ];

    public static TheoryData<object> EveryRequest => new(Requests);

    [Theory]
    [MemberData(nameof(EveryRequest))]
    public void A_host_may_send_everything(object request) => Assert.Null(Refusal(Host, request));

    [Fact]
    public void An_admin_may_do_every_client_request_and_read_every_view_for_every_user()
    {
        foreach (var request in Requests.Where(r => r is not RegisterWorker))
            Assert.Null(Refusal(Admin, request));
    }

    [Fact]
    public void Only_an_admin_or_a_host_may_read_or_change_the_per_user_policies()
    {
        object[] requests = [GetUserPolicies.Instance, new SetUserPolicy("alice", Weight: 3), new SetUserPolicy("bob", MaxRunning: 0)];
        foreach (var request in requests)
        {
            Assert.Null(Refusal(Admin, request));
            Assert.Null(Refusal(Host, request));
            // Even for its own user: a client raising its own weight is what the rule is there to stop.
            Assert.Equal($"permission denied: {Alice} may not read or change the per-user weights and quotas (admin only)", Refusal(Alice, request));
            Assert.StartsWith("permission denied", Refusal(W1, request));
        }
    }

    [Fact]
    public void An_admin_may_not_speak_the_worker_protocol() =>
        Assert.StartsWith("permission denied", Refusal(Admin, Registration("w1")));

    [Fact]
    public void A_client_acts_for_its_users()
    {
        Assert.Null(Refusal(Alice, new SubmitTask("echo", "{}", "alice")));
        Assert.Null(Refusal(Alice, new ListTasks("alice")));
        Assert.Null(Refusal(Alice, new GetTaskStatus("t-alice")));
        Assert.Null(Refusal(Alice, new WatchTask("t-alice")));
        Assert.Null(Refusal(Alice, new CancelTask("t-alice")));
        // An unknown id is answered "unknown task", as to anyone.
        Assert.Null(Refusal(Alice, new GetTaskStatus("t-nobody")));
    }

    [Fact]
    public void A_client_for_alice_may_not_submit_as_bob_nor_list_bobs_tasks()
    {
        Assert.Equal("permission denied: client \"ci\" for alice may not submit tasks for user \"bob\"", Refusal(Alice, new SubmitTask("echo", "{}", "bob")));
        Assert.StartsWith("permission denied", Refusal(Alice, new ListTasks("bob")));
    }

    [Fact]
    public void A_client_for_alice_may_not_read_watch_or_cancel_bobs_task()
    {
        foreach (var request in new object[] { new GetTaskStatus("t-bob"), new WatchTask("t-bob"), new CancelTask("t-bob") })
            Assert.StartsWith("permission denied: task t-bob belongs to another user", Refusal(Alice, request));
    }

    [Fact]
    public void A_client_may_not_read_the_monitor_views_nor_register_a_worker()
    {
        // The policies' figures list waiting tasks of every user: admin only like the rest of the statistics.
        foreach (var request in new object[] { GetNodes.Instance, GetQueues.Instance, GetStatistics.Instance, new GetStatistics(20), GetHistory.Instance, Registration("ci") })
            Assert.StartsWith("permission denied", Refusal(Alice, request));
    }

    [Fact]
    public void A_worker_registers_only_its_own_node_name()
    {
        Assert.Null(Refusal(W1, Registration("w1")));
        Assert.Equal("permission denied: worker \"w1\" may register only worker node \"w1\", not \"w2\"", Refusal(W1, Registration("w2")));
    }

    [Fact]
    public void A_worker_may_not_submit_read_cancel_or_list_as_a_user()
    {
        foreach (var request in Requests.Where(r => r is not RegisterWorker))
            Assert.StartsWith("permission denied", Refusal(W1, request));
    }
}
