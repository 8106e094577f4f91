using System.Net;
using System.Text.Json;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// Dependencies through the HTTP API (docs/task-policies.md): <c>after</c> in a submission, <c>after</c>, <c>dependents</c> and
/// the pending reason in the status, a real scheduler releasing and cancelling children, and hostile values refused naming the field.
/// </summary>
public sealed class DependencyApiTests
{
    [Fact]
    public async Task A_child_waits_for_its_parent_says_so_and_runs_once_the_parent_succeeded()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1", slots: 4);

        var parent = await web.Submit("""{"name": "hold"}""");
        var child = await web.Submit($$"""{"name": "echo", "after": ["{{parent}}"]}""");
        var waiting = await web.GetJson("/api/tasks/" + child);
        var running = await web.UntilTask(parent, t => t.GetProperty("state").GetString() == "running");

        Assert.Equal("queued", waiting.GetProperty("state").GetString());
        Assert.Equal($"waiting for {parent}", waiting.GetProperty("pending_reason").GetString());
        Assert.Equal([parent], waiting.GetProperty("after").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([child], running.GetProperty("dependents").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, waiting.GetProperty("concurrency_key").ValueKind);

        // "hold" runs until cancelled: a cancelled parent cancels its child.
        using var cancel = await web.Delete("/api/tasks/" + parent);
        var cancelled = await web.UntilTask(child, t => t.GetProperty("state").GetString() == "cancelled");
        Assert.Equal($"dependency {parent} was cancelled", cancelled.GetProperty("error").GetString());

        var first = await web.Submit("""{"name": "echo"}""");
        var second = await web.Submit($$"""{"name": "echo", "after": ["{{first}}"]}""");
        var done = await web.UntilTask(second, t => t.GetProperty("state").GetString() == "succeeded");
        var firstDone = await web.GetJson("/api/tasks/" + first);
        Assert.True(done.GetProperty("started_at").GetString()!.CompareTo(firstDone.GetProperty("finished_at").GetString()) >= 0);
    }

    [Fact]
    public async Task A_failed_parent_cancels_the_chain_naming_it()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1", slots: 2);

        // Delayed, so that its children are submitted while it has not failed yet.
        var a = await web.Submit("""{"name": "fail", "delay_ms": 500}""");
        var b = await web.Submit($$"""{"name": "echo", "after": ["{{a}}"]}""");
        var c = await web.Submit($$"""{"name": "echo", "after": ["{{b}}"]}""");

        var last = await web.UntilTask(c, t => t.GetProperty("state").GetString() == "cancelled");
        Assert.Equal($"dependency {a} failed", last.GetProperty("error").GetString());
        Assert.Equal($"dependency {a} failed", (await web.GetJson("/api/tasks/" + b)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("""{"name": "echo", "after": "task-1"}""", "\"after\" must be an array of strings")]
    [InlineData("""{"name": "echo", "after": [1]}""", "\"after[0]\" must be a string")]
    [InlineData("""{"name": "echo", "after": ["task-404"]}""", "after: unknown task id task-404")]
    [InlineData("""{"name": "echo", "after": ["a", "b", "c"]}""", "after: 3 tasks is over the limit of 2 per task (lighthouse.scheduler.max-dependencies)")]
    [InlineData("""{"name": "echo", "concurrency_key": 5}""", "\"concurrency_key\" must be a string")]
    [InlineData("""{"name": "echo", "concurrency_key": "a/b"}""", "concurrency_key \"a/b\" contains '/'")]
    public async Task A_hostile_dependency_is_400_naming_the_field_or_the_limit_and_queues_nothing(string body, string message)
    {
        await using var web = await WebHarness.Start(settings: Lighthouse.Scheduling.SchedulerSettings.Default with { MaxDependencies = 2 });

        using var response = await web.PostJson("/api/tasks", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await ErrorOf(response));
        Assert.Empty((await web.GetJson("/api/tasks?user=anonymous")).GetProperty("tasks").EnumerateArray());
    }

    [Fact]
    public async Task Another_users_task_is_unknown_as_a_parent()
    {
        await using var web = await WebHarness.Start();
        var bobs = await web.Submit("""{"name": "echo", "user": "bob"}""");

        using var response = await web.PostJson("/api/tasks", $$"""{"name": "echo", "user": "alice", "after": ["{{bobs}}"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"after: unknown task id {bobs}", await ErrorOf(response));
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
}
