using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Actor;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// Ten minutes of a busy cluster, simulated on a manual clock in a few real seconds, then the monitor in a real
/// browser: the charts span the ten minutes and agree with the scheduler's history. Set LIGHTHOUSE_MONITOR_SCREENSHOT
/// to a path to save a screenshot of this page (docs/monitor.png is made this way).
/// </summary>
public sealed class MonitorHistoryTests
{
    private static readonly string[] Users = ["alice", "bob", "carol", "dave"];

    [Fact]
    public async Task The_charts_span_ten_minutes_of_history_and_agree_with_the_scheduler()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10));
        await using var web = await WebHarness.Start(clock: clock);
        var workers = new Dictionary<string, IActorRef>
        {
            ["gpu-node-1"] = await web.AddWorker("gpu-node-1", slots: 4, new Dictionary<string, double> { ["cpu"] = 32, ["memory"] = 128, ["gpu"] = 4 }),
            ["cpu-node-1"] = await web.AddWorker("cpu-node-1", slots: 6, new Dictionary<string, double> { ["cpu"] = 16, ["memory"] = 64 }),
            ["cpu-node-2"] = await web.AddWorker("cpu-node-2", slots: 6, new Dictionary<string, double> { ["cpu"] = 16, ["memory"] = 64 }, new PriorityRange(0, 10)),
        };
        var started = new Dictionary<string, (int Start, int Duration)>(StringComparer.Ordinal);
        for (var second = 0; second < 600; second++) await Step(web, clock, workers, started, second, submit: true);
        // Then the wave ebbs until the queue is empty and slots are free again.
        for (var second = 600; second < 800; second++)
        {
            var queues = await web.Scheduler.Ask<QueuesView>(GetQueues.Instance, WebHarness.Wait);
            if (queues.Queued == 0 && queues.Running <= 10) break;
            await Step(web, clock, workers, started, second, submit: false);
        }
        // A task no node can take (no node has 8 GPUs) raises the banner.
        await web.Submit("""{"name": "transcode", "user": "erin", "priority": 5, "requirements": {"gpu": 8}}""");
        clock.Advance(TimeSpan.FromSeconds(3));

        var history = await web.GetJson("/api/history");
        var finished = history.GetProperty("samples").EnumerateArray().Sum(s => s.GetProperty("finished").GetInt32());
        var peakQueued = history.GetProperty("samples").EnumerateArray().Max(s => s.GetProperty("queued").GetInt32());
        await SaveScreenshotIfAsked(web);
        var dom = await Chromium.DumpDom(web.BaseAddress);

        Assert.True(finished > 500, $"only {finished} tasks finished in the simulated ten minutes");
        Assert.Equal(finished, Chart(dom, "chart-finished", "total"));
        Assert.Equal(peakQueued, Chart(dom, "chart-queued", "peak"));
        Assert.Contains($"id=\"summary-finished\" data-value=\"{finished}\"", dom);
        Assert.Matches("data-count=\"1\">⚠ 1 task is waiting and no worker can take it now, although \\d+ slots are free:<ul><li>0/3 nodes fit: [^<]*\"gpu\"", dom);
        Assert.Matches("<tr data-task-name=\"render\" data-finished=\"\\d+\" data-succeeded=\"\\d+\" data-failed=\"[1-9]\\d*\"", dom);
    }

    /// <summary>
    /// One simulated second: a wave of submissions from four users (when <paramref name="submit"/>), progress reports,
    /// and the tasks whose time is up finish (one in 17 fails). Deterministic: the numbers come from the second and the
    /// task ids.
    /// </summary>
    private static async Task Step(WebHarness web, ManualTimeProvider clock, Dictionary<string, IActorRef> workers, Dictionary<string, (int Start, int Duration)> started, int second, bool submit)
    {
        var wave = submit ? (int)Math.Round(1.8 + 1.8 * Math.Sin(second / 45.0) + (second % 13 == 0 ? 2 : 0)) : 0;
        for (var i = 0; i < wave; i++)
        {
            var k = second * 7 + i;
            var body = k % 8 == 0
                ? $$"""{"name": "transcode", "user": "{{Users[k % 4]}}", "priority": {{k % 3}}, "requirements": {"cpu": 4, "gpu": 1} }"""
                : $$"""{"name": "render", "user": "{{Users[k % 4]}}", "priority": {{k % 3}}, "requirements": {"cpu": 2} }""";
            await web.Submit(body);
        }

        var nodes = await web.Scheduler.Ask<NodesView>(GetNodes.Instance, WebHarness.Wait);
        var ending = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes.Nodes)
        {
            foreach (var id in node.RunningTasks)
            {
                var sequence = int.Parse(id.AsSpan(id.IndexOf('-') + 1), CultureInfo.InvariantCulture);
                if (!started.TryGetValue(id, out var run)) started[id] = run = (second, 2 + sequence * 7919 % 9);
                var elapsed = second - run.Start;
                if (elapsed >= run.Duration)
                {
                    workers[node.Node].Tell(sequence % 17 == 0 ? new TestWorker.Fail(id, "render crashed: out of memory") : new TestWorker.Finish(id));
                    ending.Add(id);
                }
                else
                    workers[node.Node].Tell(new TestWorker.Progress(id, Math.Round(100.0 * elapsed / run.Duration)));
            }
        }
        // The ends are applied within this second, so the simulation is the same on any machine.
        var deadline = DateTime.UtcNow + WebHarness.Wait;
        while ((await web.Scheduler.Ask<NodesView>(GetNodes.Instance, WebHarness.Wait)).Nodes.Any(n => n.RunningTasks.Any(ending.Contains)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the tasks ending at second {second} did not end within {WebHarness.Wait.TotalSeconds} s");
            await Task.Delay(1);
        }
        clock.Advance(TimeSpan.FromSeconds(1));
    }

    private static async Task SaveScreenshotIfAsked(WebHarness web)
    {
        if (Environment.GetEnvironmentVariable("LIGHTHOUSE_MONITOR_SCREENSHOT") is not { Length: > 0 } path) return;
        var height = int.TryParse(Environment.GetEnvironmentVariable("LIGHTHOUSE_MONITOR_SCREENSHOT_HEIGHT"), out var h) ? h : 1000;
        // A relative path is taken from the repository root: LIGHTHOUSE_MONITOR_SCREENSHOT=docs/monitor.png.
        await Chromium.Screenshot(web.BaseAddress, Path.Combine(RepositoryPaths.Root, path), 1400, height);
    }

    private static int Chart(string dom, string id, string key)
    {
        var match = Regex.Match(dom, $"<svg id=\"{id}\"[^>]*data-{key}=\"([0-9.]+)\"");
        Assert.True(match.Success, $"chart {id} has no data-{key}");
        return (int)Math.Round(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
    }
}
