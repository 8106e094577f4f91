using System.Net;
using System.Text;
using System.Text.Json;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Tests.Shared;

namespace Lighthouse.IntegrationTests.Web;

/// <summary>
/// Dependencies and concurrency keys on a real <c>lighthouse serve</c> process with real <c>lighthouse-worker</c> processes,
/// through the HTTP API: B after A starts only once A ended and is cancelled when A fails; six <c>sleep</c> tasks with a key
/// limited to 2 never run more than 2 at once on 8 free slots (sampled while they run, and checked from their start and end times).
/// </summary>
public sealed class TaskCoordinationProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task B_after_A_starts_after_A_ends_and_is_cancelled_when_A_fails()
    {
        await using var cluster = new LocalCluster();
        var host = await cluster.StartHostAsync();
        await cluster.StartWorkerAsync(host, "w1", slots: 4);
        using var http = new HttpClient { BaseAddress = host.Http, Timeout = Limit };
        await Eventually.Holds(async () => (await Json(http, "/api/nodes")).GetProperty("nodes").GetArrayLength() == 1, "the worker to register", Limit, cluster.Logs);

        var a = await Submit(http, """{"name": "sleep", "payload": {"ms": 1500}}""");
        var b = await Submit(http, $$"""{"name": "echo", "payload": 1, "after": ["{{a}}"]}""");
        await Until(http, a, "running", cluster);
        var waiting = await Json(http, $"/api/tasks/{b}?peek=true");
        Assert.Equal(("queued", $"waiting for {a}"), (waiting.GetProperty("state").GetString(), waiting.GetProperty("pending_reason").GetString()));
        var bDone = await Until(http, b, "succeeded", cluster);
        var aDone = await Json(http, $"/api/tasks/{a}");
        Assert.Equal("succeeded", aDone.GetProperty("state").GetString());
        Assert.True(bDone.GetProperty("started_at").GetDateTimeOffset() >= aDone.GetProperty("finished_at").GetDateTimeOffset(),
            $"B started at {bDone.GetProperty("started_at")}, before A finished at {aDone.GetProperty("finished_at")}");

        // A failing parent (delayed, so that its child is submitted while it has not ended) cancels its child and grandchild.
        var failing = await Submit(http, """{"name": "fail", "payload": {"message": "no"}, "delay_ms": 1000}""");
        var child = await Submit(http, $$"""{"name": "echo", "after": ["{{failing}}"]}""");
        var grandchild = await Submit(http, $$"""{"name": "echo", "after": ["{{child}}"]}""");
        await Until(http, failing, "failed", cluster);
        var cancelled = await Until(http, child, "cancelled", cluster);
        Assert.Equal($"dependency {failing} failed", cancelled.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("started_at").ValueKind);
        Assert.Equal($"dependency {failing} failed", (await Until(http, grandchild, "cancelled", cluster)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Six_sleep_tasks_with_a_key_limited_to_two_never_run_more_than_two_at_once_on_eight_free_slots()
    {
        await using var cluster = new LocalCluster();
        using var config = new TempFile("lighthouse.scheduler.concurrency-limits { db = 2 }\n");
        var host = await cluster.StartHostAsync(arguments: ["--config", config.Path]);
        await cluster.StartWorkerAsync(host, "w1", slots: 4);
        await cluster.StartWorkerAsync(host, "w2", slots: 4);
        using var http = new HttpClient { BaseAddress = host.Http, Timeout = Limit };
        await Eventually.Holds(async () => (await Json(http, "/api/nodes")).GetProperty("nodes").GetArrayLength() == 2, "both workers to register", Limit, cluster.Logs);

        var ids = new List<string>();
        for (var i = 0; i < 6; i++) ids.Add(await Submit(http, """{"name": "sleep", "payload": {"ms": 700}, "user": "alice", "concurrency_key": "db"}"""));

        // Sample while they run: the key's running count, and the running tasks themselves.
        var most = 0;
        await Eventually.Holds(async () =>
        {
            var db = (await Json(http, "/api/limits")).GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("key").GetString() == "db");
            var tasks = (await Json(http, "/api/tasks?user=alice")).GetProperty("tasks").EnumerateArray().ToList();
            var running = tasks.Count(t => t.GetProperty("state").GetString() == "running");
            Assert.True(running <= 2, $"{running} tasks with key db run at once");
            Assert.True(db.GetProperty("running").GetInt32() <= 2, $"the key counts {db.GetProperty("running")} running");
            most = Math.Max(most, running);
            return tasks.All(t => t.GetProperty("state").GetString() == "succeeded");
        }, "the six tasks to succeed", Limit, cluster.Logs);

        Assert.Equal(2, most);
        // And from the scheduler's own times: at no start were two others already running.
        var intervals = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var id in ids)
        {
            var task = await Json(http, $"/api/tasks/{id}");
            intervals.Add((task.GetProperty("started_at").GetDateTimeOffset(), task.GetProperty("finished_at").GetDateTimeOffset()));
        }
        foreach (var (start, _) in intervals)
            Assert.True(intervals.Count(i => i.Start <= start && start < i.End) <= 2, $"at {start:O} more than two tasks with key db ran");
    }

    private static async Task<string> Submit(HttpClient http, string json)
    {
        using var response = await http.PostAsync("/api/tasks", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submit answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> Json(HttpClient http, string path) =>
        JsonDocument.Parse(await http.GetStringAsync(path)).RootElement.Clone();

    private static async Task<JsonElement> Until(HttpClient http, string id, string state, LocalCluster cluster)
    {
        JsonElement task = default;
        await Eventually.Holds(async () => (task = await Json(http, $"/api/tasks/{id}?peek=true")).GetProperty("state").GetString() == state,
            $"task {id} to be {state}", Limit, cluster.Logs);
        return task;
    }
}
