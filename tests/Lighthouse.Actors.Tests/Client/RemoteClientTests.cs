using System.Net;
using System.Net.Sockets;
using Lighthouse.Client;
using Lighthouse.Protocol;

using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Client;

/// <summary>One host for every test of <see cref="RemoteClientTests"/>: starting a cluster node costs about a second.</summary>
public sealed class RemoteHostFixture : IAsyncLifetime
{
    internal TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// LighthouseClient.ConnectAsync from its own ActorSystem to a host ActorSystem through ClusterClient and the
/// receptionist: real Akka.Remote over loopback, the Lighthouse serializer on both ends.
/// </summary>
public sealed class RemoteClientTests(RemoteHostFixture fixture) : IClassFixture<RemoteHostFixture>
{
    private static readonly LighthouseClientOptions Quiet = new() { LogLevel = "ERROR" };

    private Task<LighthouseClient> Connect() => LighthouseClient.ConnectAsync(fixture.Host.Address, Quiet).Within();

    private static string User() => "user-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Submit_get_wait_and_list_work_through_the_receptionist()
    {
        await using var client = await Connect();
        var user = User();

        var id = await client.SubmitAsync("echo", """{"hello": "wörld"}""", user).Within();
        var final = await client.WaitAsync(id).Within();

        Assert.Equal((TaskState.Succeeded, """{"hello": "wörld"}"""), (final.State, final.Result));
        Assert.Equal(final, await client.GetAsync(id).Within());
        Assert.Equal([id], (await client.ListAsync(user).Within()).Select(t => t.TaskId));
        Assert.Contains((await client.GetNodesAsync().Within()).Nodes, n => n.Node == "test-worker");
    }

    [Fact]
    public async Task Cancel_works_through_the_receptionist()
    {
        await using var client = await Connect();
        var id = await client.SubmitAsync("hold", "{}", User()).Within();
        await Eventually.Holds(async () => (await client.GetAsync(id)).State == TaskState.Running, "the held task runs");

        Assert.Equal(CancelOutcome.Pending, (await client.CancelAsync(id).Within()).Outcome);
        Assert.Equal(TaskState.Cancelled, (await client.WaitAsync(id).Within()).State);
    }

    [Fact]
    public async Task A_thousand_pipelined_submissions_get_distinct_ids_and_their_own_results()
    {
        await using var client = await Connect();
        var user = User();

        var ids = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => client.SubmitAsync("echo", $"[{i}]", user))).Within();
        var finals = await Task.WhenAll(ids.Select(id => client.WaitAsync(id))).Within();

        Assert.Equal(1000, ids.Distinct().Count());
        for (var i = 0; i < ids.Length; i++)
            Assert.Equal((ids[i], TaskState.Succeeded, $"[{i}]"), (finals[i].TaskId, finals[i].State, finals[i].Result));
    }

    [Fact]
    public async Task A_thousand_pipelined_runs_end_with_their_own_results_through_the_receptionist()
    {
        await using var client = await Connect();
        var user = User();

        var finals = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => client.RunAsync("echo", $"[{i}]", user))).Within();

        Assert.Equal(1000, finals.Select(f => f.TaskId).Distinct().Count());
        for (var i = 0; i < finals.Length; i++)
            Assert.Equal((TaskState.Succeeded, $"[{i}]"), (finals[i].State, finals[i].Result));
    }

    [Fact]
    public async Task A_payload_near_the_schedulers_cap_crosses_the_wire_both_ways()
    {
        await using var client = await Connect();
        // Akka.Remote's default frame (128,000 bytes) would drop this and the association with it.
        var payload = "\"" + new string('x', 900_000) + "\"";

        var id = await client.SubmitAsync("echo", payload, User()).Within();

        Assert.Equal(payload, (await client.WaitAsync(id).Within()).Result);
    }

    [Fact]
    public async Task A_resubmission_with_the_same_submission_id_queues_nothing_more()
    {
        await using var client = await Connect();
        var user = User();
        // No worker handles this name, so the task stays queued and the queue count shows every copy.
        var submission = new SubmitTask("unhandled", "{}", user, SubmissionId: LighthouseClient.NewSubmissionId());

        var ids = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.SubmitAsync(submission))).Within();

        Assert.Single(ids.Distinct());
        var queue = Assert.Single((await client.GetQueuesAsync().Within()).Users, u => u.UserId == user);
        Assert.Equal(1, queue.Queued);
    }

    [Fact]
    public async Task A_rejected_submission_throws_with_the_schedulers_reason()
    {
        await using var client = await Connect();

        var rejected = await Assert.ThrowsAsync<LighthouseRejectedException>(() =>
            client.SubmitAsync(new SubmitTask("echo", "{}", User(), Requirements: new Dictionary<string, double> { ["slots"] = 1 })).Within());

        Assert.Contains("\"slots\" is reserved", rejected.Reason);
        Assert.Equal(RejectionCode.InvalidSubmission, rejected.Code);
    }

    [Fact]
    public async Task An_unknown_task_id_throws_with_the_schedulers_message()
    {
        await using var client = await Connect();

        var unknown = await Assert.ThrowsAsync<LighthouseUnknownTaskException>(() => client.GetAsync("missing").Within());

        Assert.Equal("unknown task id missing", unknown.Message);
    }

    [Fact]
    public async Task Connecting_to_a_port_nobody_listens_on_fails_as_unavailable_naming_the_address()
    {
        var address = $"127.0.0.1:{ClosedPort()}";

        var error = await Assert.ThrowsAsync<LighthouseUnavailableException>(() =>
            LighthouseClient.ConnectAsync(address, Quiet with { RequestTimeout = TimeSpan.FromSeconds(1) }).Within());

        Assert.Equal(address, error.Address);
        Assert.StartsWith($"no answer from the Lighthouse host at {address} to GetQueues", error.Message);
        Assert.Contains("it never answered this client", error.Message);
    }

    [Fact]
    public async Task Without_the_connect_check_the_first_request_finds_the_missing_host()
    {
        var address = $"127.0.0.1:{ClosedPort()}";

        // Returns without a round trip (what one-shot commands use), so nothing is known about the host yet ...
        await using var client = await LighthouseClient.ConnectAsync(address, Quiet with { RequestTimeout = TimeSpan.FromSeconds(1), CheckOnConnect = false }).Within();
        // ... and the first request fails as the check would have, naming the address and the request.
        var error = await Assert.ThrowsAsync<LighthouseUnavailableException>(() => client.GetNodesAsync().Within());

        Assert.Equal(address, error.Address);
        Assert.StartsWith($"no answer from the Lighthouse host at {address} to GetNodes", error.Message);
    }

    [Fact]
    public async Task Without_the_connect_check_requests_work_as_with_it()
    {
        await using var client = await LighthouseClient.ConnectAsync(fixture.Host.Address, Quiet with { CheckOnConnect = false }).Within();

        var id = await client.SubmitAsync("echo", "[1]", User()).Within();

        Assert.Equal("[1]", (await client.WaitAsync(id).Within()).Result);
    }

    [Fact]
    public async Task A_bad_address_is_refused_before_anything_is_started()
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => LighthouseClient.ConnectAsync("127.0.0.1:http"));

        Assert.Equal("host \"127.0.0.1:http\" is invalid: the port \"http\" is not a number from 1 to 65535", error.Message);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
