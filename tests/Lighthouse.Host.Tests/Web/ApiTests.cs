using System.Net;
using System.Text.Json;
using Akka.Actor;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Web;

/// <summary>The HTTP API against a real scheduler and a test worker: submit, status, cancel, list and the views.</summary>
public sealed class ApiTests
{
    private static readonly string[] StatusKeys =
        ["id", "name", "user", "priority", "state", "progress", "result", "error", "node", "attempts", "pending_reason", "waits_for_capacity", "submitted_at", "started_at", "finished_at",
         "retry", "timeout_ms", "not_before", "next_attempt_at", "retries", "attempt_errors", "after", "dependents", "concurrency_key"];

    [Fact]
    public async Task A_submitted_task_runs_and_its_status_object_has_the_cli_keys_and_the_result_as_json()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1");

        using var response = await web.PostJson("/api/tasks",
            """{"name": "echo", "payload": {"x": [1, 2.5, "three"]}, "user": "alice", "priority": 3, "requirements": {"cpu": 2}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        Assert.Equal("/api/tasks/" + id, response.Headers.Location!.OriginalString);

        var task = await web.UntilTask(id, t => t.GetProperty("state").GetString() == "succeeded");

        Assert.Equal(StatusKeys, task.EnumerateObject().Select(p => p.Name));
        Assert.Equal((id, "echo", "alice", 3), (task.GetProperty("id").GetString(), task.GetProperty("name").GetString(), task.GetProperty("user").GetString(), task.GetProperty("priority").GetInt32()));
        Assert.Equal("""{"x":[1,2.5,"three"]}""", JsonSerializer.Serialize(task.GetProperty("result")));
        Assert.Equal(("n1", 1), (task.GetProperty("node").GetString(), task.GetProperty("attempts").GetInt32()));
        Assert.Equal(JsonValueKind.Null, task.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, task.GetProperty("pending_reason").ValueKind);
        var submitted = DateTimeOffset.Parse(task.GetProperty("submitted_at").GetString()!);
        var finished = DateTimeOffset.Parse(task.GetProperty("finished_at").GetString()!);
        Assert.EndsWith("Z", task.GetProperty("finished_at").GetString());
        Assert.True(finished >= submitted);
    }

    [Fact]
    public async Task The_status_object_is_the_one_lighthouse_status_json_prints()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1");
        var id = await web.Submit("""{"name": "echo", "payload": {"é": [1e300, null, true]}, "user": "zoë"}""");
        var http = await web.UntilTask(id, t => t.GetProperty("state").GetString() == "succeeded");

        // Listing does not collect the task, so both reads see the same state.
        var info = (await web.Scheduler.Ask<TaskList>(new ListTasks("zoë"), WebHarness.Wait)).Tasks.Single();
        var cli = JsonDocument.Parse(Lighthouse.Host.Json.TaskInfoJson.Format(info)).RootElement;

        Assert.Equal(JsonSerializer.Serialize(cli), JsonSerializer.Serialize(http));
    }

    [Fact]
    public async Task A_queued_task_shows_its_pending_reason_and_the_defaults_user_anonymous_and_payload_object()
    {
        await using var web = await WebHarness.Start();
        var id = await web.Submit("""{"name": "echo"}""");

        var task = await web.GetJson("/api/tasks/" + id);

        Assert.Equal(("queued", "anonymous"), (task.GetProperty("state").GetString(), task.GetProperty("user").GetString()));
        Assert.Equal("no worker node is registered", task.GetProperty("pending_reason").GetString());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("started_at").ValueKind);

        await web.AddWorker("n1");
        var done = await web.UntilTask(id, t => t.GetProperty("state").GetString() == "succeeded");
        Assert.Equal("{}", JsonSerializer.Serialize(done.GetProperty("result")));
    }

    [Fact]
    public async Task A_failed_task_shows_its_error()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1");
        var id = await web.Submit("""{"name": "fail", "user": "bob"}""");

        var task = await web.UntilTask(id, t => t.GetProperty("state").GetString() == "failed");

        Assert.Equal("boom", task.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task A_repeated_submission_id_answers_200_with_the_original_id_and_queues_nothing_new()
    {
        await using var web = await WebHarness.Start();
        const string body = """{"name": "echo", "user": "carol", "submission_id": "batch-7"}""";

        var first = await web.Submit(body);
        using var again = await web.PostJson("/api/tasks", body);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first, JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
        Assert.Equal(1, (await web.GetJson("/api/queues")).GetProperty("queued").GetInt32());
    }

    [Fact]
    public async Task Cancelling_a_queued_task_answers_200_and_a_second_cancel_409()
    {
        await using var web = await WebHarness.Start();
        var id = await web.Submit("""{"name": "echo"}""");

        using var cancel = await web.Delete("/api/tasks/" + id);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal($$"""{"id":"{{id}}","state":"cancelled"}""", await cancel.Content.ReadAsStringAsync());
        Assert.Equal("cancelled", (await web.GetJson("/api/tasks/" + id)).GetProperty("state").GetString());

        using var again = await web.Delete("/api/tasks/" + id);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal($$"""{"error":"task {{id}} already finished (cancelled); nothing was changed"}""", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cancelling_a_running_task_answers_202_and_the_worker_stops_it()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1");
        var id = await web.Submit("""{"name": "hold"}""");
        await web.UntilTask(id, t => t.GetProperty("progress").GetDouble() == 30);

        using var cancel = await web.Delete("/api/tasks/" + id);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal($$"""{"id":"{{id}}","state":"cancelling","node":"n1"}""", await cancel.Content.ReadAsStringAsync());
        await web.UntilTask(id, t => t.GetProperty("state").GetString() == "cancelled");
    }

    [Fact]
    public async Task A_users_tasks_are_listed_in_submission_order()
    {
        await using var web = await WebHarness.Start();
        var first = await web.Submit("""{"name": "echo", "user": "dave"}""");
        var second = await web.Submit("""{"name": "fail", "user": "dave", "priority": -2}""");
        await web.Submit("""{"name": "echo", "user": "erin"}""");

        var list = await web.GetJson("/api/tasks?user=dave");

        Assert.Equal("dave", list.GetProperty("user").GetString());
        Assert.Equal([first, second], list.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
        Assert.Equal(-2, list.GetProperty("tasks")[1].GetProperty("priority").GetInt32());
    }

    [Fact]
    public async Task The_views_show_nodes_queues_statistics_history_and_the_local_cluster()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1", slots: 3, priorities: new Lighthouse.Protocol.PriorityRange(0, 9));
        var held = await web.Submit("""{"name": "hold", "user": "alice", "requirements": {"cpu": 2}}""");
        var echoes = new[] { await web.Submit("""{"name": "echo", "user": "bob"}"""), await web.Submit("""{"name": "echo", "user": "bob"}""") };
        await web.Submit("""{"name": "echo", "user": "bob", "priority": 20}""");
        foreach (var id in echoes) await web.UntilTask(id, t => t.GetProperty("state").GetString() == "succeeded");
        await web.UntilTask(held, t => t.GetProperty("progress").GetDouble() == 30);

        var node = (await web.GetJson("/api/nodes")).GetProperty("nodes").EnumerateArray().Single();
        // The keys of `lighthouse nodes --json`, in its order.
        Assert.Equal(["name", "state", "slots", "free_slots", "running_tasks", "task_names", "priorities", "capacity", "free", "registered_at"], node.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("n1", "reachable", 3, 2), (node.GetProperty("name").GetString(), node.GetProperty("state").GetString(), node.GetProperty("slots").GetInt32(), node.GetProperty("free_slots").GetInt32()));
        Assert.Equal((8.0, 6.0), (node.GetProperty("capacity").GetProperty("cpu").GetDouble(), node.GetProperty("free").GetProperty("cpu").GetDouble()));
        Assert.Equal([held], node.GetProperty("running_tasks").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal((0, 9), (node.GetProperty("priorities").GetProperty("min").GetInt32(), node.GetProperty("priorities").GetProperty("max").GetInt32()));

        var queues = await web.GetJson("/api/queues");
        Assert.Equal((1, 1), (queues.GetProperty("queued").GetInt32(), queues.GetProperty("running").GetInt32()));
        Assert.Equal("""{"20":1}""", JsonSerializer.Serialize(queues.GetProperty("queued_by_priority")));
        // Busiest first: bob's task is queued, alice's runs.
        Assert.Equal(["bob", "alice"], queues.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("user").GetString()!));
        Assert.Equal((2, 0), (queues.GetProperty("users_total").GetInt32(), queues.GetProperty("more_users").GetInt32()));

        var echo = (await web.GetJson("/api/stats")).GetProperty("task_names").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "echo");
        Assert.Equal((2, 2, 0), (echo.GetProperty("finished").GetInt32(), echo.GetProperty("succeeded").GetInt32(), echo.GetProperty("failed").GetInt32()));
        Assert.Equal(2, echo.GetProperty("wait_time").GetProperty("count").GetInt32());
        Assert.True(echo.GetProperty("run_time").GetProperty("max_seconds").GetDouble() >= echo.GetProperty("run_time").GetProperty("min_seconds").GetDouble());

        var history = await web.GetJson("/api/history");
        Assert.Equal(1.0, history.GetProperty("interval_seconds").GetDouble());
        Assert.Equal(2, history.GetProperty("samples").EnumerateArray().Sum(s => s.GetProperty("finished").GetInt32()));
        Assert.Equal(4, history.GetProperty("samples").EnumerateArray().Sum(s => s.GetProperty("submitted").GetInt32()));

        var cluster = await web.GetJson("/api/cluster");
        Assert.False(cluster.GetProperty("clustered").GetBoolean());
        var member = cluster.GetProperty("members").EnumerateArray().Single();
        Assert.Equal(("up", true, true), (member.GetProperty("status").GetString(), member.GetProperty("runs_scheduler").GetBoolean(), member.GetProperty("self").GetBoolean()));
        Assert.Equal(member.GetProperty("address").GetString(), cluster.GetProperty("scheduler_host").GetString());
    }

    [Fact]
    public async Task The_overview_shows_running_progress_per_node_the_oldest_waiting_task_and_the_blocked_ones()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1", slots: 2);
        var held = await web.Submit("""{"name": "hold", "user": "alice"}""");
        await web.UntilTask(held, t => t.GetProperty("progress").GetDouble() == 30);
        // No node has a GPU, and n1 keeps a free slot: this task waits with nothing to take it.
        var stuck = await web.Submit("""{"name": "echo", "user": "bob", "requirements": {"gpu": 1}}""");

        JsonElement overview = default;
        await WebHarness.Until(async () => (overview = await web.GetJson("/api/overview")).GetProperty("blocked").GetProperty("count").GetInt32() == 1, "the GPU task to count as blocked");

        var running = overview.GetProperty("nodes")[0].GetProperty("running").EnumerateArray().Single();
        Assert.Equal((held, "hold", "alice", 30.0), (running.GetProperty("id").GetString(), running.GetProperty("name").GetString(), running.GetProperty("user").GetString(), running.GetProperty("progress").GetDouble()));
        var oldest = overview.GetProperty("oldest_waiting");
        Assert.Equal(stuck, oldest.GetProperty("id").GetString());
        Assert.Contains("gpu", oldest.GetProperty("pending_reason").GetString());
        Assert.Equal(stuck, overview.GetProperty("blocked").GetProperty("tasks")[0].GetProperty("id").GetString());
        Assert.Equal(["generated_at", "cluster", "nodes", "queues", "oldest_waiting", "blocked", "waiting_for_policies", "stats", "history"], overview.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Peeking_at_a_finished_task_keeps_its_ttl_and_a_plain_read_still_collects_it()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var web = await WebHarness.Start(clock: clock);
        await web.AddWorker("n1");
        var id = await web.Submit("""{"name": "echo", "user": "alice"}""");
        JsonElement peeked = default;
        await WebHarness.Until(async () => (peeked = await web.GetJson($"/api/tasks/{id}?peek=true")).GetProperty("state").GetString() == "succeeded",
            $"task {id} to succeed");

        // Past the sixty seconds a collecting read would have left it, within the ten-minute TTL.
        clock.Advance(TimeSpan.FromSeconds(61));
        var again = await web.GetJson($"/api/tasks/{id}?peek=TRUE");
        var collected = await web.GetJson($"/api/tasks/{id}");
        clock.Advance(TimeSpan.FromSeconds(61));
        using var gone = await web.Http.GetAsync($"/api/tasks/{id}?peek=true");

        Assert.Equal(JsonSerializer.Serialize(peeked), JsonSerializer.Serialize(again));
        Assert.Equal(JsonSerializer.Serialize(peeked), JsonSerializer.Serialize(collected));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_peek_value_other_than_true_or_false_is_400_naming_it()
    {
        await using var web = await WebHarness.Start();
        var id = await web.Submit("""{"name": "echo"}""");

        using var response = await web.Http.GetAsync($"/api/tasks/{id}?peek=yes");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.Equal("peek must be true or false, found \"yes\"", error);
    }

    [Fact]
    public async Task A_queued_task_says_whether_it_waits_for_capacity_and_only_those_no_node_can_take_are_blocked()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1", slots: 3);
        var held = await web.Submit("""{"name": "hold", "user": "alice", "requirements": {"cpu": 6}}""");
        await web.UntilTask(held, t => t.GetProperty("state").GetString() == "running");
        // n1 keeps free slots: one task waits for the held one's cpu, the other for a GPU no node has.
        var roomy = await web.Submit("""{"name": "echo", "user": "bob", "requirements": {"cpu": 6}}""");
        var stuck = await web.Submit("""{"name": "echo", "user": "carol", "requirements": {"gpu": 1}}""");

        var waits = await web.UntilTask(roomy, t => t.GetProperty("waits_for_capacity").ValueKind != JsonValueKind.Null);
        var never = await web.UntilTask(stuck, t => t.GetProperty("waits_for_capacity").ValueKind != JsonValueKind.Null);
        var running = await web.GetJson("/api/tasks/" + held);
        var overview = await web.GetJson("/api/overview");

        Assert.True(waits.GetProperty("waits_for_capacity").GetBoolean());
        Assert.False(never.GetProperty("waits_for_capacity").GetBoolean());
        Assert.Equal(JsonValueKind.Null, running.GetProperty("waits_for_capacity").ValueKind);
        Assert.Equal(1, overview.GetProperty("blocked").GetProperty("count").GetInt32());
        Assert.Equal(stuck, overview.GetProperty("blocked").GetProperty("tasks")[0].GetProperty("id").GetString());
    }
}
