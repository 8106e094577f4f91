using Lighthouse.Client;
using Lighthouse.IntegrationTests.EndToEnd;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Protocol;
using Lighthouse.Security;
using Lighthouse.Tests.Shared;

namespace Lighthouse.IntegrationTests.Security;

/// <summary>
/// Real processes with mutual TLS on the cluster port: a host, workers and clients with certificates from one CA run
/// tasks; peers without a certificate, or with one from another CA, are refused at the handshake while the host keeps
/// serving; plaintext off loopback is refused at start.
/// </summary>
public sealed class TlsClusterTests : IDisposable
{
    private readonly ClusterCertificates _certificates = new();

    private string[] Host => _certificates.Flags(LighthouseRole.Host, "h1");

    private LighthouseClientOptions AdminOptions => new() { Tls = _certificates.Credentials(LighthouseRole.Admin, "ops") };

    private static async Task<IReadOnlyList<string>> NodesAsync(LighthouseClient client) =>
        (await client.GetNodesAsync()).Nodes.Select(n => n.Node).ToList();

    [Fact]
    public async Task A_TLS_host_worker_and_client_run_a_task_end_to_end_and_the_command_line_submits_with_its_certificate()
    {
        await using var host = await HostProcess.StartAsync(arguments: Host);
        Assert.StartsWith("akka.ssl.tcp://", HostProcess.UpLinePattern().Match(host.UpLine!.Text).Groups["address"].Value, StringComparison.Ordinal);
        await using var worker = await WorkerProcess.StartAsync(host.Port, "w1", arguments: _certificates.Flags(LighthouseRole.Worker, "w1"));
        await using var client = await LighthouseClient.ConnectAsync(host.Address, AdminOptions);
        await Eventually.Holds(async () => (await NodesAsync(client)).Contains("w1"), "w1 registers over TLS", context: () => worker.Log.ToString());

        var done = await client.RunAsync(new SubmitTask("echo", "[1,2]", "alice")).WaitAsync(Eventually.Bound);
        Assert.Equal((TaskState.Succeeded, "[1,2]", "w1"), (done.State, done.Result, done.Node));

        var submit = await CliProcess.RunAsync(["submit", "echo", "--payload", "{\"n\":7}", "--user", "alice", "--wait", "--json", "--host", host.Address, .. _certificates.Flags(LighthouseRole.Client, "ci", "alice")]);
        Assert.True(submit.ExitCode == 0, $"{submit.Command}: {submit.ExitCode}\n{submit.Stdout}\n{submit.Stderr}");
        Assert.Equal("succeeded", submit.Json()["state"]!.GetValue<string>());

        // The membership guard challenges every member and downs those that cannot prove their role within 10 s:
        // the real worker process answers, so past that deadline it is still a member and still registered.
        var deadline = worker.StartedAt + TimeSpan.FromSeconds(14);
        if (DateTimeOffset.UtcNow < deadline) await Task.Delay(deadline - DateTimeOffset.UtcNow);
        Assert.Contains("w1", await NodesAsync(client));
        Assert.DoesNotContain(host.Log.Stdout.Concat(host.Log.Stderr), line => line.Contains("Downing cluster member", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_certificate_for_alice_submits_as_alice_and_is_refused_for_bob_and_bobs_task_with_exit_1()
    {
        await using var host = await HostProcess.StartAsync(arguments: Host);
        await using var worker = await WorkerProcess.StartAsync(host.Port, "w1", arguments: _certificates.Flags(LighthouseRole.Worker, "w1"));
        await using var admin = await LighthouseClient.ConnectAsync(host.Address, AdminOptions);
        await Eventually.Holds(async () => (await NodesAsync(admin)).Contains("w1"), "w1 registers over TLS");
        var alice = _certificates.Flags(LighthouseRole.Client, "alice-ci", "alice");
        var bobsTask = await admin.SubmitAsync("sleep", "{\"ms\": 60000}", "bob");

        var asAlice = await CliProcess.RunAsync(["submit", "echo", "--payload", "1", "--user", "alice", "--wait", "--json", "--host", host.Address, .. alice]);
        var asBob = await CliProcess.RunAsync(["submit", "echo", "--payload", "1", "--user", "bob", "--host", host.Address, .. alice]);
        var readBobs = await CliProcess.RunAsync(["status", bobsTask, "--host", host.Address, .. alice]);
        var cancelBobs = await CliProcess.RunAsync(["cancel", bobsTask, "--host", host.Address, .. alice]);

        Assert.Equal("succeeded", asAlice.Json()["state"]!.GetValue<string>());
        foreach (var refused in new[] { asBob, readBobs, cancelBobs })
        {
            Assert.True(refused.ExitCode == 1, $"{refused.Command}: exit {refused.ExitCode}\n{refused.Stdout}\n{refused.Stderr}");
            Assert.Contains("permission denied", refused.Stderr, StringComparison.Ordinal);
        }
        // Bob's task was left as it was: still running, not cancelled.
        Assert.Equal(TaskState.Running, (await admin.GetAsync(bobsTask)).State);
    }

    [Fact]
    public async Task Only_an_admin_certificate_reads_or_changes_the_per_user_weights_and_quotas_a_client_one_gets_exit_1()
    {
        await using var host = await HostProcess.StartAsync(arguments: Host);
        var alice = _certificates.Flags(LighthouseRole.Client, "alice-ci", "alice");
        var admin = _certificates.Flags(LighthouseRole.Admin, "ops");

        // Hostile: a client raising its own user's weight, lifting its quota, or just reading everyone's.
        var raiseOwn = await CliProcess.RunAsync(["users", "set", "alice", "--weight", "1000", "--host", host.Address, .. alice]);
        var liftQuota = await CliProcess.RunAsync(["users", "reset", "alice", "--host", host.Address, .. alice]);
        var read = await CliProcess.RunAsync(["users", "--host", host.Address, .. alice]);
        var asAdmin = await CliProcess.RunAsync(["users", "set", "bob", "--max-running", "2", "--json", "--host", host.Address, .. admin]);

        foreach (var refused in new[] { raiseOwn, liftQuota, read })
        {
            Assert.True(refused.ExitCode == 1, $"{refused.Command}: exit {refused.ExitCode}\n{refused.Stdout}\n{refused.Stderr}");
            Assert.Contains("permission denied", refused.Stderr, StringComparison.Ordinal);
            Assert.Contains("(admin only)", refused.Stderr, StringComparison.Ordinal);
        }
        Assert.True(asAdmin.ExitCode == 0, $"{asAdmin.Command}: exit {asAdmin.ExitCode}\n{asAdmin.Stderr}");
        await using var client = await LighthouseClient.ConnectAsync(host.Address, AdminOptions);
        Assert.Equal([new UserPolicyView("bob", 1, 2, true)], (await client.GetUserPoliciesAsync()).Users);
    }

    [Fact]
    public async Task Workers_without_a_certificate_or_with_one_from_another_CA_are_refused_at_the_handshake_and_the_host_keeps_serving()
    {
        await using var host = await HostProcess.StartAsync(arguments: Host);
        using var stranger = new ClusterCertificates("another CA");
        await using var plain = await WorkerProcess.StartAsync(host.Port, "plain");
        await using var foreign = await WorkerProcess.StartAsync(host.Port, "foreign", arguments: stranger.Flags(LighthouseRole.Worker, "foreign"));

        // The host says why, naming the peer; the foreign worker's side refuses the host's certificate too.
        await host.WaitForLineAsync(line => line.Contains("TLS handshake refused", StringComparison.Ordinal) && line.Contains("not accepted", StringComparison.Ordinal),
            Eventually.Bound, "the refused handshake of the foreign worker");
        await using var worker = await WorkerProcess.StartAsync(host.Port, "w1", arguments: _certificates.Flags(LighthouseRole.Worker, "w1"));
        await using var client = await LighthouseClient.ConnectAsync(host.Address, AdminOptions);
        await Eventually.Holds(async () => (await NodesAsync(client)).Contains("w1"), "the good worker registers");
        var done = await client.RunAsync(new SubmitTask("echo", "\"still serving\"", "alice")).WaitAsync(Eventually.Bound);

        Assert.Equal(TaskState.Succeeded, done.State);
        Assert.Equal(["w1"], await NodesAsync(client));
        Assert.False(host.HasExited);
    }

    [Fact]
    public async Task A_client_without_a_certificate_cannot_reach_a_TLS_host_and_says_so()
    {
        await using var host = await HostProcess.StartAsync(arguments: Host);

        var queues = await CliProcess.RunAsync("queues", "--host", host.Address, "--timeout", "3");

        Assert.NotEqual(0, queues.ExitCode);
        Assert.Contains(host.Address, queues.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plaintext_off_loopback_is_refused_at_start_with_how_to_make_certificates()
    {
        await using var refused = HostProcess.Launch(["serve", "--hostname", "10.255.255.1", "--port", "0", "--no-local-worker"]);
        var exit = await refused.WaitForExitAsync(HostProcess.StartLimit);

        Assert.Equal(2, exit);
        Assert.Contains(refused.Log.Stderr, line => line.Contains("without TLS", StringComparison.Ordinal) && line.Contains("lighthouse certs ca", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_refuses_a_worker_certificate_as_its_own()
    {
        await using var refused = HostProcess.Launch(["serve", "--port", "0", "--no-local-worker", .. _certificates.Flags(LighthouseRole.Worker, "w1")]);
        var exit = await refused.WaitForExitAsync(HostProcess.StartLimit);

        Assert.Equal(2, exit);
        Assert.Contains(refused.Log.Stderr, line => line.Contains("a host needs one issued with --role host", StringComparison.Ordinal));
    }

    public void Dispose() => _certificates.Dispose();
}
