using System.Net;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;
using Xunit.Abstractions;

namespace Lighthouse.IntegrationTests.Serve;

/// <summary><c>lighthouse serve</c> as a real process: it comes up, says where, serves, and leaves on a signal.</summary>
public sealed class HostStartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_host_prints_one_up_line_with_its_address_serves_and_leaves_the_cluster_on_SIGTERM_with_exit_0()
    {
        await using var cluster = new LocalCluster();
        var host = await cluster.StartHostAsync();

        var up = HostProcess.UpLinePattern().Match(host.UpLine!.Text);
        Assert.Equal(host.AkkaAddress, up.Groups["address"].Value);
        Assert.Equal(("this node", "off", $"http://127.0.0.1:{host.HttpPort}"), (up.Groups["singleton"].Value, up.Groups["worker"].Value, up.Groups["monitor"].Value));
        output.WriteLine($"start-up to the up line: {(host.UpLine.At - host.StartedAt).TotalMilliseconds:0} ms");

        // The receptionist answers clients from outside the cluster, and the monitor answers on its port.
        var client = await cluster.ConnectAsync(host);
        Assert.Equal(0, (await client.GetQueuesAsync()).Queued);
        using (var http = new HttpClient())
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(host.Http, "/health/live"))).StatusCode);

        host.Signal(ManagedProcess.SigTerm);

        Assert.Equal(0, await host.WaitForExitAsync(Limit));
        Assert.Single(host.Log.Stdout, line => line.StartsWith("lighthouse up at ", StringComparison.Ordinal));
        // It left the cluster (rather than vanishing), which is what lets a singleton hand over at once.
        Assert.Contains(host.Log.Stdout, line => line.Contains($"Marked address [{host.AkkaAddress}] as [Leaving]", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Log.Stderr, line => line.StartsWith("lighthouse serve:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bare_lighthouse_is_a_complete_single_machine_lighthouse_with_a_local_worker()
    {
        await using var cluster = new LocalCluster();
        var port = FreePort.Next();
        var httpPort = FreePort.Next();
        var host = cluster.Track(HostProcess.Launch([], new Dictionary<string, string>
        {
            ["LIGHTHOUSE_PORT"] = port.ToString(),
            ["LIGHTHOUSE_HTTP_PORT"] = httpPort.ToString(),
        }, port, httpPort));
        var up = HostProcess.UpLinePattern().Match((await host.WaitUntilUpAsync()).Text);
        Assert.Equal(($"akka.tcp://lighthouse@127.0.0.1:{port}", $"{Math.Max(1, Environment.ProcessorCount - 1)} slots at nice 10"), (up.Groups["address"].Value, up.Groups["worker"].Value));

        var client = await cluster.ConnectAsync(host);
        var id = await client.SubmitAsync("echo", "{\"hello\": \"world\"}", "alice");
        var done = await client.WaitAsync(id).WaitAsync(Limit);

        Assert.Equal((TaskState.Succeeded, "{\"hello\": \"world\"}"), (done.State, done.Result));
        Assert.Equal($"{Environment.MachineName}:{port}", done.Node);

        host.Signal(ManagedProcess.SigInt);
        Assert.Equal(0, await host.WaitForExitAsync(Limit));
    }

    [Fact]
    public async Task The_local_worker_runs_a_cpu_task_on_a_thread_at_nice_10_and_leaves_every_other_thread_at_the_hosts_priority()
    {
        await using var cluster = new LocalCluster();
        var host = await cluster.StartHostAsync(localWorker: true);
        var client = await cluster.ConnectAsync(host);
        var own = Nice(File.ReadAllText($"/proc/{host.Id}/stat")); // the main thread's

        var id = await client.SubmitAsync("cpu", "{\"ms\": 60000}", "alice");
        var threads = await Eventually.Until(() => Task.FromResult(Threads(host.Id)), t => t.Contains(("lighthouse-task", 10)), Limit,
            "a lighthouse-task thread at nice 10 in the host", t => string.Join(", ", t));

        // The scheduler, Akka's dispatchers, the heartbeats and the web API stay where the host runs.
        Assert.True(own < 10, $"the test needs a host below nice 10; it runs at {own}");
        Assert.All(threads.Where(t => t.Nice != own), t => Assert.Equal(("lighthouse-task", 10), t));
        await client.CancelAsync(id);
    }

    /// <summary>Each thread of process <paramref name="pid"/>: its name (field 2 of its stat) and nice value (field 19).</summary>
    private static List<(string Name, int Nice)> Threads(int pid)
    {
        var threads = new List<(string, int)>();
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                threads.Add((stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')], Nice(stat)));
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return threads;
    }

    /// <summary>Field 19 of a /proc stat line; field 2, the name in parentheses, may hold spaces, so count from its end.</summary>
    private static int Nice(string stat) =>
        int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19 - 3], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_1MiB_echo_payload_crosses_the_wire_both_ways()
    {
        await using var cluster = new LocalCluster();
        var host = await cluster.StartHostAsync(localWorker: true);
        var client = await cluster.ConnectAsync(host);
        // Just under the scheduler's 1 MiB limit: a JSON string of 1 MiB minus its quotes and a little slack.
        var payload = "\"" + new string('x', 1024 * 1024 - 16) + "\"";

        var id = await client.SubmitAsync("echo", payload, "alice");
        var done = await client.WaitAsync(id).WaitAsync(Limit);

        Assert.Equal(TaskState.Succeeded, done.State);
        Assert.Equal(payload, done.Result);
    }
}
