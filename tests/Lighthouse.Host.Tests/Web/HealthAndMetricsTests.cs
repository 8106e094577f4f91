using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Akka.Actor;
using Lighthouse.Host.Web;

namespace Lighthouse.Host.Tests.Web;

/// <summary>Liveness, readiness that follows the scheduler, and Prometheus metrics that follow the tasks.</summary>
public sealed partial class HealthAndMetricsTests
{
    [Fact]
    public async Task Ready_is_200_while_the_scheduler_answers_and_503_once_it_is_stopped_while_live_stays_200()
    {
        await using var web = await WebHarness.Start(new WebOptions(ReadinessTimeout: TimeSpan.FromMilliseconds(300)));

        using var ready = await web.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("""{"status":"ready"}""", await ready.Content.ReadAsStringAsync());

        await web.Scheduler.GracefulStop(TimeSpan.FromSeconds(5));
        using var notReady = await web.Http.GetAsync("/health/ready");
        using var live = await web.Http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        var body = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("unavailable", body.GetProperty("status").GetString());
        Assert.StartsWith("the scheduler did not answer GetQueues within 0.3 s", body.GetProperty("error").GetString());
        Assert.Equal((HttpStatusCode.OK, """{"status":"live"}"""), (live.StatusCode, await live.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Metrics_count_finished_and_failed_tasks_per_name_queue_depth_workers_and_dispatch_latency()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1", slots: 2);
        await web.AddWorker("n2", slots: 1);
        await RunToEnd(web, ("echo", 3), ("fail", 1));
        await web.Submit("""{"name": "echo", "requirements": {"gpu": 1}}""");

        var first = await Scrape(web);

        Assert.Equal(1, first["lighthouse_scheduler_up"]);
        Assert.Equal(1, first["lighthouse_tasks_queued"]);
        Assert.Equal(0, first["lighthouse_tasks_running"]);
        Assert.Equal(3, first["lighthouse_tasks_finished_total{task_name=\"echo\"}"]);
        Assert.Equal(3, first["lighthouse_tasks_succeeded_total{task_name=\"echo\"}"]);
        Assert.Equal(1, first["lighthouse_tasks_failed_total{task_name=\"fail\"}"]);
        Assert.Equal(0, first["lighthouse_tasks_failed_total{task_name=\"echo\"}"]);
        Assert.Equal(2, first["lighthouse_workers{state=\"reachable\"}"]);
        Assert.Equal(3, first["lighthouse_slots{state=\"free\"}"]);
        Assert.Equal(3, first["lighthouse_dispatch_latency_seconds_count{task_name=\"echo\"}"]);
        Assert.Equal(3, first["lighthouse_dispatch_latency_seconds_bucket{task_name=\"echo\",le=\"+Inf\"}"]);

        await RunToEnd(web, ("echo", 2), ("fail", 2));
        var second = await Scrape(web);

        Assert.Equal(5, second["lighthouse_tasks_finished_total{task_name=\"echo\"}"]);
        Assert.Equal(3, second["lighthouse_tasks_failed_total{task_name=\"fail\"}"]);
        Assert.Equal(5, second["lighthouse_dispatch_latency_seconds_count{task_name=\"echo\"}"]);
        Assert.Equal(3, second["lighthouse_dispatch_latency_seconds_count{task_name=\"fail\"}"]);
    }

    [Fact]
    public async Task Metrics_say_when_the_scheduler_does_not_answer_without_stale_numbers()
    {
        await using var web = await WebHarness.Start(new WebOptions(AskTimeout: TimeSpan.FromMilliseconds(300)));
        Assert.Equal(0, (await Scrape(web))["lighthouse_tasks_queued"]);

        await web.Scheduler.GracefulStop(TimeSpan.FromSeconds(5));
        var down = await Scrape(web);

        Assert.Equal(0, down["lighthouse_scheduler_up"]);
        Assert.DoesNotContain("lighthouse_tasks_queued", down.Keys);
    }

    [Fact]
    public async Task Metrics_give_the_host_process_resident_memory_managed_heap_and_committed_memory_in_bytes()
    {
        await using var web = await WebHarness.Start();

        var samples = await Scrape(web);

        // Whatever the test process holds, both are real sizes: more than a megabyte, less than the machine.
        Assert.InRange(samples["process_resident_memory_bytes"], 1 << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        Assert.InRange(samples["dotnet_gc_heap_bytes"], 1 << 20, samples["process_resident_memory_bytes"]);
        Assert.InRange(samples["dotnet_gc_committed_bytes"], 1 << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    }

    private static async Task RunToEnd(WebHarness web, params (string Name, int Count)[] batches)
    {
        var ids = new List<string>();
        foreach (var (name, count) in batches)
        {
            for (var i = 0; i < count; i++) ids.Add(await web.Submit($$"""{"name": "{{name}}", "user": "metrics"}"""));
        }
        foreach (var id in ids) await web.UntilTask(id, t => t.GetProperty("state").GetString() is "succeeded" or "failed");
    }

    /// <summary>Every sample of the text exposition format: series (name and labels as written) → value.</summary>
    internal static async Task<Dictionary<string, double>> Scrape(WebHarness web)
    {
        using var response = await web.Http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            // The exporter writes an empty label set as "{}"; both spellings are the same series.
            samples[match.Groups["series"].Value.Replace("{}", "", StringComparison.Ordinal)] = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return samples;
    }

    [GeneratedRegex(@"^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?) (?<value>\S+)( \d+)?$")]
    private static partial Regex Sample();
}
