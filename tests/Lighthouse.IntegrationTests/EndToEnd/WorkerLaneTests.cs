using System.Globalization;
using System.Text.Json.Nodes;
using Lighthouse.Protocol;

namespace Lighthouse.IntegrationTests.EndToEnd;

/// <summary>
/// A real <c>lighthouse-worker --lane 1:0:9:10 --lane 1:10:99 --lane 1:100:1000</c> with a process handler that reports its
/// own nice value (read from <c>/proc</c>): priorities 5, 50 and 500 each run in their own lane, at that lane's nice, a
/// full lane keeps its next task waiting while the others run, and a priority in no lane waits saying so.
/// </summary>
public sealed class WorkerLaneTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lighthouse-lanes-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Field 19 of /proc/PID/stat is the nice value (the command name, field 2, has no space here).</summary>
    private static int OwnNice() => int.Parse(File.ReadAllText("/proc/self/stat").Split(") ")[1].Split(' ')[16], CultureInfo.InvariantCulture);

    [Fact]
    public async Task Priorities_5_50_and_500_run_in_their_own_lanes_at_their_lanes_nice()
    {
        if (!OperatingSystem.IsLinux()) return;
        var gate = Path.Combine(_directory, "open");
        // The program reads its payload, waits for the gate (so the three tasks hold their slots at once), then prints its nice.
        // It stops waiting when the test's directory is gone too, so a failed test leaves no program behind.
        var script = Path.Combine(_directory, "nice.sh");
        File.WriteAllText(script, $"cat > /dev/null\nwhile [ -d '{_directory}' ] && [ ! -e '{gate}' ]; do sleep 0.05; done\nprintf '{{\"nice\": %s}}' \"$(cut -d' ' -f19 /proc/$$/stat)\"\n");
        await using var cluster = await EndToEndCluster.StartAsync(new EndToEndCluster.Worker("lanes", 0,
            "--lane", "1:0:9:10", "--lane", "1:10:99", "--lane", "1:100:1000", "--exec", $"nice=sh '{script}'"));
        var client = cluster.Client;

        var registered = (await client.GetNodesAsync()).Nodes.Single();
        Assert.Equal((3, new PriorityRange(0, 1000)), (registered.Slots, registered.Priorities));
        Assert.Equal([10, null, null], registered.Lanes!.Select(l => l.Nice));

        var ids = new Dictionary<int, string>();
        foreach (var priority in new[] { 5, 50, 500 }) ids[priority] = await client.SubmitAsync("nice", "{}", "alice", priority);
        var lanes = (await cluster.NodeAsync("lanes", n => n?.Lanes is { } l && l.All(lane => lane.FreeSlots == 0), "with every lane busy"))!.Lanes!;
        Assert.Equal([new PriorityRange(0, 9), new PriorityRange(10, 99), new PriorityRange(100, 1000)], lanes.Select(l => l.Priorities));

        // Another priority 7 waits for a slot (every lane is full), while a priority in no lane waits for good.
        var seven = await client.SubmitAsync("nice", "{}", "alice", 7);
        var outside = await client.SubmitAsync("nice", "{}", "alice", 5000);
        Assert.Equal("waiting for a free slot: all 3 slots on 1 reachable nodes are busy", (await client.GetAsync(seven)).PendingReason);
        Assert.Equal("no reachable worker node that handles task \"nice\" has a lane for priority 5000", (await client.GetAsync(outside)).PendingReason);

        // The nodes command shows each lane's slots in use and its range.
        var nodes = await CliProcess.RunAsync("nodes", "--json", "--host", cluster.Host.Address);
        var json = nodes.Json()["nodes"]![0]!["lanes"]!.AsArray();
        Assert.Equal([1, 1, 1], json.Select(l => (int)l!["used_slots"]!));
        Assert.Equal([0, 10, 100], json.Select(l => (int)l!["priorities"]!["min"]!));

        File.WriteAllText(gate, "");
        var own = OwnNice();
        var expected = new Dictionary<int, int> { [5] = 10, [50] = own, [500] = own, [7] = 10 };
        ids[7] = seven;
        foreach (var (priority, id) in ids)
        {
            var done = await cluster.FinishedAsync(id);
            Assert.True(done.State == TaskState.Succeeded, $"priority {priority}: {done.State} {done.Error}\n{cluster.Logs()}");
            Assert.Equal(expected[priority], (int)JsonNode.Parse(done.Result!)!["nice"]!);
        }
        Assert.Equal(TaskState.Queued, (await client.GetAsync(outside)).State);
    }
}
