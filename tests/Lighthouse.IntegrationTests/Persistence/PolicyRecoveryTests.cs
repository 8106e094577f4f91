using System.Net;
using System.Text;
using System.Text.Json;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Tests.Shared;
using Xunit.Abstractions;

namespace Lighthouse.IntegrationTests.Persistence;

/// <summary>
/// Task policies across a <c>kill -9</c> of the host (issue #14): <c>lighthouse serve</c> on its default SQLite journal with a
/// real <c>lighthouse-worker</c>, the host killed in the middle of a retry back-off, a delay, a dependency chain and a full
/// concurrency key, then started again on the same data and ports (the worker, downed when its host vanished, rejoins as a
/// new member). Everything resumes from the journal: nothing runs before its time or its parents, retries stop at their
/// count, a key is never over its limit, and an admin's runtime changes (a key's limit, a user's weight and quota) hold.
/// </summary>
public sealed class PolicyRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>Long enough that the host is back and the worker registered again before it ends, so an early start would show.</summary>
    private const int Wait = 8000;

    [Fact]
    public async Task A_kill_9_during_a_retry_back_off_and_a_delay_starts_nothing_early_adds_no_attempt_and_keeps_the_user_policies()
    {
        await using var cluster = new LocalCluster();
        await using var host = new RestartableHost(cluster);
        using var http = await StartWithWorkerAsync(cluster, host);
        await Put(http, "/api/users/alice", """{"weight": 2.5, "max_running": 3}""");
        await Put(http, "/api/users/bob", """{"max_running": "off"}""");

        // The back-off is capped at itself, so the wait before attempt 3 is as long as the one before attempt 2.
        var retried = await Submit(http, $$$"""{"name": "fail", "payload": {"message": "no"}, "user": "alice", "retry": {"attempts": 2, "backoff_ms": {{{Wait}}}, "max_backoff_ms": {{{Wait}}}}}""");
        var waiting = await Until(http, retried, t => t.GetProperty("retries").GetInt32() == 1, "waiting to retry after attempt 1", cluster);
        Assert.Equal(("queued", 1, "no"), (State(waiting), waiting.GetProperty("attempts").GetInt32(), Errors(waiting)));
        var attempt2Due = waiting.GetProperty("next_attempt_at").GetDateTimeOffset();
        var delayed = await Submit(http, $$"""{"name": "echo", "payload": "late", "user": "bob", "delay_ms": {{Wait}}}""");
        var notBefore = (await Json(http, $"/api/tasks/{delayed}?peek=true")).GetProperty("not_before").GetDateTimeOffset();

        await host.KillHardAsync();
        var killedAt = DateTimeOffset.UtcNow;
        await host.StartAsync();
        var upAt = DateTimeOffset.UtcNow;

        // The admin's runtime changes came back from the journal.
        var users = (await Json(http, "/api/users")).GetProperty("users").EnumerateArray()
            .ToDictionary(u => u.GetProperty("user").GetString()!, u => u.GetRawText());
        Assert.Equal("""{"user":"alice","weight":2.5,"max_running":3,"set_at_runtime":true}""", users["alice"]);
        Assert.Equal("""{"user":"bob","weight":1,"max_running":null,"set_at_runtime":true}""", users["bob"]);

        // Both still wait while their times are ahead: right after the recovery, and again once the worker is back (when
        // the restart was quick enough for that to come before their times, as it does on an idle machine).
        await StillWaiting();
        await WorkerBackAsync(http, cluster);
        var backAt = DateTimeOffset.UtcNow;
        await StillWaiting();

        var ran = await Until(http, delayed, t => State(t) == "succeeded", "the delayed task to succeed", cluster);
        var delayedStarted = ran.GetProperty("started_at").GetDateTimeOffset();
        Assert.True(delayedStarted >= notBefore, $"the delayed task started at {delayedStarted:O}, before its not-before {notBefore:O}");
        Assert.Equal(("\"late\"", 1), (ran.GetProperty("result").GetRawText(), ran.GetProperty("attempts").GetInt32()));

        // Attempt 2 ran and failed: its start (kept while it waits for attempt 3) is not before its due time.
        var second = await Until(http, retried, t => t.GetProperty("retries").GetInt32() == 2 || State(t) != "queued", "attempt 2 to fail", cluster);
        Assert.Equal(("queued", 2, 2), (State(second), second.GetProperty("attempts").GetInt32(), second.GetProperty("retries").GetInt32()));
        var attempt2Started = second.GetProperty("started_at").GetDateTimeOffset();
        Assert.True(attempt2Started >= attempt2Due, $"attempt 2 started at {attempt2Started:O}, before its back-off ended at {attempt2Due:O}");
        var attempt3Due = second.GetProperty("next_attempt_at").GetDateTimeOffset();

        var failed = await Until(http, retried, t => State(t) == "failed", "the task to fail after its retries", cluster);
        Assert.Equal((3, 2, "no | no"), (failed.GetProperty("attempts").GetInt32(), failed.GetProperty("retries").GetInt32(), Errors(failed)));
        Assert.Equal("no (attempt 3 of 3: no retries left)", failed.GetProperty("error").GetString());
        var attempt3Started = failed.GetProperty("started_at").GetDateTimeOffset();
        Assert.True(attempt3Started >= attempt3Due, $"attempt 3 started at {attempt3Started:O}, before its back-off ended at {attempt3Due:O}");
        output.WriteLine($"killed {killedAt:HH:mm:ss.fff}, host up {upAt:HH:mm:ss.fff}, worker back {backAt:HH:mm:ss.fff}; " +
                         $"delayed: not before {notBefore:HH:mm:ss.fff}, started {delayedStarted:HH:mm:ss.fff}; " +
                         $"attempt 2 due {attempt2Due:HH:mm:ss.fff}, started {attempt2Started:HH:mm:ss.fff}; attempt 3 due {attempt3Due:HH:mm:ss.fff}, started {attempt3Started:HH:mm:ss.fff}");

        async Task StillWaiting()
        {
            var retry = await Json(http, $"/api/tasks/{retried}?peek=true");
            var delay = await Json(http, $"/api/tasks/{delayed}?peek=true");
            var now = DateTimeOffset.UtcNow;
            if (now < attempt2Due)
            {
                Assert.Equal(("queued", 1, attempt2Due), (State(retry), retry.GetProperty("attempts").GetInt32(), retry.GetProperty("next_attempt_at").GetDateTimeOffset()));
                Assert.StartsWith("retrying in ", retry.GetProperty("pending_reason").GetString());
            }
            if (now < notBefore)
                Assert.Equal(("queued", $"not before {notBefore:HH:mm:ss}Z"), (State(delay), delay.GetProperty("pending_reason").GetString()));
        }
    }

    [Fact]
    public async Task A_kill_9_while_the_head_of_a_chain_runs_starts_each_link_only_after_its_parent_succeeded_and_cancels_down_a_failed_one()
    {
        await using var cluster = new LocalCluster();
        await using var host = new RestartableHost(cluster);
        using var http = await StartWithWorkerAsync(cluster, host);

        // A succeeds after 4 s; F times out after 2.5 s (its sleep would take 60 s) and so fails.
        var a = await Submit(http, """{"name": "sleep", "payload": {"ms": 4000}}""");
        var b = await Submit(http, $$"""{"name": "echo", "payload": "b", "after": ["{{a}}"]}""");
        var c = await Submit(http, $$"""{"name": "echo", "payload": "c", "after": ["{{b}}"]}""");
        var f = await Submit(http, """{"name": "sleep", "payload": {"ms": 60000}, "timeout_ms": 2500}""");
        var g = await Submit(http, $$"""{"name": "echo", "after": ["{{f}}"]}""");
        var h = await Submit(http, $$"""{"name": "echo", "after": ["{{g}}"]}""");
        await Until(http, a, t => State(t) == "running", "running", cluster);
        await Until(http, f, t => State(t) == "running", "running", cluster);
        foreach (var (child, parent) in new[] { (b, a), (c, b), (g, f), (h, g) })
            Assert.Equal(("queued", $"waiting for {parent}"), Pending(await Json(http, $"/api/tasks/{child}?peek=true")));

        await host.KillHardAsync();
        await host.StartAsync();

        // After the recovery a child still waits while its parent has not ended (re-queued after the lost node, or running
        // again). A head may have ended meanwhile: its worker keeps running it while the host is away and reports it when
        // back. The child is read first: a parent not ended when read after it had not ended before either.
        foreach (var (child, parent) in new[] { (b, a), (c, b), (g, f), (h, g) })
        {
            var childNow = await Json(http, $"/api/tasks/{child}?peek=true");
            if (State(await Json(http, $"/api/tasks/{parent}?peek=true")) is "queued" or "running")
                Assert.Equal(("queued", $"waiting for {parent}"), Pending(childNow));
        }

        var cDone = await Until(http, c, t => State(t) != "queued" && State(t) != "running", "the chain's end", cluster);
        var aDone = await Json(http, $"/api/tasks/{a}?peek=true");
        var bDone = await Json(http, $"/api/tasks/{b}?peek=true");
        Assert.Equal(["succeeded", "succeeded", "succeeded"], new[] { aDone, bDone, cDone }.Select(State));
        Assert.Equal(("\"b\"", "\"c\""), (bDone.GetProperty("result").GetRawText(), cDone.GetProperty("result").GetRawText()));
        foreach (var (child, parent) in new[] { (bDone, aDone), (cDone, bDone) })
        {
            var (started, parentEnded) = (child.GetProperty("started_at").GetDateTimeOffset(), parent.GetProperty("finished_at").GetDateTimeOffset());
            Assert.True(started >= parentEnded, $"{child.GetProperty("id")} started at {started:O}, before its parent ended at {parentEnded:O}");
        }

        var fDone = await Until(http, f, t => State(t) == "failed", "to time out", cluster);
        Assert.StartsWith("timed out after 2500 ms", fDone.GetProperty("error").GetString());
        foreach (var child in new[] { g, h })
        {
            var cancelled = await Until(http, child, t => State(t) == "cancelled", "cancelled for its dependency", cluster);
            Assert.Equal(($"dependency {f} failed", JsonValueKind.Null), (cancelled.GetProperty("error").GetString(), cancelled.GetProperty("started_at").ValueKind));
        }
        output.WriteLine($"A ran {aDone.GetProperty("attempts")} times (ended {aDone.GetProperty("finished_at")}), B started {bDone.GetProperty("started_at")}, C started {cDone.GetProperty("started_at")}; " +
                         $"F ran {fDone.GetProperty("attempts")} times");
    }

    [Fact]
    public async Task A_kill_9_while_a_key_is_full_never_runs_more_than_its_runtime_limit_and_runs_every_task()
    {
        await using var cluster = new LocalCluster();
        using var config = new TempFile("lighthouse.scheduler.concurrency-limits { db = 4 }\n");
        await using var host = new RestartableHost(cluster, "--config", config.Path);
        using var http = await StartWithWorkerAsync(cluster, host, slots: 6);
        // The admin's limit, below the configured one: were it lost in the restart, 4 would run.
        await Put(http, "/api/limits/db", """{"limit": 2}""");

        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await Submit(http, """{"name": "sleep", "payload": {"ms": 2000}, "user": "alice", "concurrency_key": "db"}"""));
        var full = await Eventually.Until(() => Tasks(http), tasks => tasks.Count(t => State(t) == "running") == 2, Limit, "two tasks with key db running");
        var waitingForKey = full.Where(t => State(t) == "queued").ToList();
        Assert.NotEmpty(waitingForKey);
        Assert.All(waitingForKey, t => Assert.Equal("waiting for concurrency key db (2 of 2 running)", t.GetProperty("pending_reason").GetString()));

        await host.KillHardAsync();
        await host.StartAsync();
        var db = await Key(http);
        Assert.Equal((2, 4, 2), (db.GetProperty("limit").GetInt32(), db.GetProperty("configured_limit").GetInt32(), db.GetProperty("runtime_limit").GetInt32()));

        // Sample while they run: the key's count and the tasks themselves.
        var most = 0;
        await Eventually.Holds(async () =>
        {
            var key = await Key(http);
            var tasks = await Tasks(http);
            var running = tasks.Count(t => State(t) == "running");
            Assert.True(running <= 2, $"{running} tasks with key db run at once");
            Assert.True(key.GetProperty("running").GetInt32() <= 2, $"the key counts {key.GetProperty("running")} running");
            most = Math.Max(most, running);
            return tasks.All(t => State(t) == "succeeded");
        }, "the five tasks to succeed", Limit, cluster.Logs);
        Assert.Equal(2, most);

        // And from the scheduler's own times (each task's last start): at no start were two others already running.
        var intervals = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var id in ids)
        {
            var task = await Json(http, $"/api/tasks/{id}?peek=true");
            intervals.Add((task.GetProperty("started_at").GetDateTimeOffset(), task.GetProperty("finished_at").GetDateTimeOffset()));
        }
        foreach (var (start, _) in intervals)
            Assert.True(intervals.Count(i => i.Start <= start && start < i.End) <= 2, $"at {start:O} more than two tasks with key db ran");
        output.WriteLine(string.Join("\n", intervals.OrderBy(i => i.Start).Select(i => $"{i.Start:HH:mm:ss.fff} - {i.End:HH:mm:ss.fff}")));
    }

    private static async Task<List<JsonElement>> Tasks(HttpClient http) =>
        (await Json(http, "/api/tasks?user=alice")).GetProperty("tasks").EnumerateArray().ToList();

    private static async Task<JsonElement> Key(HttpClient http) =>
        (await Json(http, "/api/limits")).GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("key").GetString() == "db");

    private static (string, string?) Pending(JsonElement task) => (State(task), task.GetProperty("pending_reason").GetString());

    /// <summary>The errors of the retried attempts, oldest first, as one line: <c>no | no</c>.</summary>
    private static string Errors(JsonElement task) => string.Join(" | ", task.GetProperty("attempt_errors").EnumerateArray().Select(e => e.GetString()));

    /// <summary>Waits for worker w1 to be registered and reachable again (after a restart the host knows it from the journal, unreachable).</summary>
    private static Task WorkerBackAsync(HttpClient http, LocalCluster cluster) =>
        Eventually.Holds(async () => (await Json(http, "/api/nodes")).GetProperty("nodes").EnumerateArray()
            .Any(n => n.GetProperty("name").GetString() == "w1" && n.GetProperty("state").GetString() == "reachable"), "worker w1 back", Limit, cluster.Logs);

    private static string State(JsonElement task) => task.GetProperty("state").GetString()!;

    /// <summary>Starts the host and one worker with <paramref name="slots"/> slots, and returns an HTTP client of the host once the worker registered.</summary>
    private static async Task<HttpClient> StartWithWorkerAsync(LocalCluster cluster, RestartableHost host, int slots = 4)
    {
        await host.StartAsync();
        await cluster.StartWorkerAsync(host.Current, "w1", slots);
        var http = new HttpClient { BaseAddress = host.Http, Timeout = Limit };
        await Eventually.Holds(async () => (await Json(http, "/api/nodes")).GetProperty("nodes").GetArrayLength() == 1, "the worker to register", Limit, cluster.Logs);
        return http;
    }

    private static async Task<string> Submit(HttpClient http, string json)
    {
        using var response = await http.PostAsync("/api/tasks", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submit answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task Put(HttpClient http, string path, string json)
    {
        using var response = await http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonElement> Json(HttpClient http, string path) =>
        JsonDocument.Parse(await http.GetStringAsync(path)).RootElement.Clone();

    /// <summary>The task's status (read with <c>peek</c>, so reading does not collect it) once <paramref name="holds"/>.</summary>
    private static Task<JsonElement> Until(HttpClient http, string id, Func<JsonElement, bool> holds, string what, LocalCluster cluster) =>
        Eventually.Until(() => Json(http, $"/api/tasks/{id}?peek=true"), holds, Limit, $"task {id}: {what}", t => $"{t}\n{cluster.Logs()}");
}
