using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Lighthouse.Scheduling;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// Task policies through the HTTP API (docs/task-policies.md): the fields a submission takes and the status shows, a real
/// scheduler retrying and delaying on its own timer, and every hostile value refused with a 400 naming the field or the key.
/// </summary>
public sealed class TaskPolicyApiTests
{
    [Fact]
    public async Task A_failing_task_with_two_retries_ends_after_three_attempts_no_sooner_than_its_back_offs()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1");
        var clock = Stopwatch.StartNew();

        var id = await web.Submit("""{"name": "fail", "payload": 1, "retry": {"attempts": 2, "backoff_ms": 150, "max_backoff_ms": 1000}}""");
        var task = await web.UntilTask(id, t => t.GetProperty("state").GetString() == "failed");

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(150 + 300), $"three attempts took only {clock.Elapsed}");
        Assert.Equal(3, task.GetProperty("attempts").GetInt32());
        Assert.Equal(2, task.GetProperty("retries").GetInt32());
        Assert.Equal(["boom", "boom"], task.GetProperty("attempt_errors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("boom (attempt 3 of 3: no retries left)", task.GetProperty("error").GetString());
        var retry = task.GetProperty("retry");
        Assert.Equal(2, retry.GetProperty("attempts").GetInt32());
        Assert.Equal(150, retry.GetProperty("backoff_ms").GetDouble());
        Assert.Equal(1000, retry.GetProperty("max_backoff_ms").GetDouble());
    }

    [Fact]
    public async Task A_task_waiting_to_retry_shows_why_and_when_and_a_cancel_stops_its_retries()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1");

        var id = await web.Submit("""{"name": "fail", "payload": 2, "retry": {"attempts": 5, "backoff_ms": 60000}}""");
        var waiting = await web.UntilTask(id, t => t.GetProperty("retries").GetInt32() == 1);

        Assert.Equal("queued", waiting.GetProperty("state").GetString());
        Assert.Matches("^retrying in (59|60)\\.\\d s after: boom$", waiting.GetProperty("pending_reason").GetString());
        Assert.Equal(JsonValueKind.String, waiting.GetProperty("next_attempt_at").ValueKind);
        using var cancel = await web.Delete("/api/tasks/" + id);
        Assert.True(cancel.IsSuccessStatusCode);
        var cancelled = await web.GetJson("/api/tasks/" + id);
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
        Assert.Equal(1, cancelled.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_delayed_task_starts_no_sooner_than_its_delay_and_says_until_when_it_waits()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1");
        var clock = Stopwatch.StartNew();

        var id = await web.Submit("""{"name": "echo", "delay_ms": 700, "timeout_ms": 5000}""");
        var queued = await web.GetJson("/api/tasks/" + id);
        var done = await web.UntilTask(id, t => t.GetProperty("state").GetString() == "succeeded");

        Assert.StartsWith("not before ", queued.GetProperty("pending_reason").GetString());
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(700), $"started after only {clock.Elapsed}");
        Assert.True(done.GetProperty("started_at").GetString()!.CompareTo(done.GetProperty("not_before").GetString()) >= 0);
        Assert.Equal(5000, done.GetProperty("timeout_ms").GetDouble());
    }

    [Fact]
    public async Task A_worker_that_ignores_a_timeout_has_the_task_failed_by_the_scheduler_and_its_slot_freed()
    {
        await using var web = await WebHarness.Start(settings: SchedulerSettings.Default with { TimeoutGrace = TimeSpan.FromMilliseconds(200) });
        await web.AddWorker("n1", slots: 1);

        // The test worker's "hold" runs until cancelled and knows nothing of timeouts: the scheduler's alarm ends it.
        var held = await web.Submit("""{"name": "hold", "timeout_ms": 100}""");
        var next = await web.Submit("""{"name": "echo"}""");
        var failed = await web.UntilTask(held, t => t.GetProperty("state").GetString() == "failed");
        await web.UntilTask(next, t => t.GetProperty("state").GetString() == "succeeded");

        Assert.StartsWith("timed out after 100 ms: worker node \"n1\" did not end it within the 0.2 s grace", failed.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_task_without_policies_shows_them_empty()
    {
        await using var web = await WebHarness.Start();

        var task = await web.GetJson("/api/tasks/" + await web.Submit("""{"name": "echo"}"""));

        Assert.Equal(JsonValueKind.Null, task.GetProperty("retry").ValueKind);
        Assert.Equal(JsonValueKind.Null, task.GetProperty("timeout_ms").ValueKind);
        Assert.Equal(JsonValueKind.Null, task.GetProperty("not_before").ValueKind);
        Assert.Equal(JsonValueKind.Null, task.GetProperty("next_attempt_at").ValueKind);
        Assert.Equal(0, task.GetProperty("retries").GetInt32());
        Assert.Empty(task.GetProperty("attempt_errors").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"name": "echo", "retry": {"attempts": 1000000}}""", "retry attempts 1000000 is invalid: it must be between 0 and 100 (lighthouse.scheduler.max-retry-attempts)")]
    [InlineData("""{"name": "echo", "retry": {"attempts": -1}}""", "retry attempts -1 is invalid")]
    [InlineData("""{"name": "echo", "retry": {"attempts": 2, "backoff_ms": 1e300}}""", "\"retry.backoff_ms\" is 1e300: far too long for a duration")]
    [InlineData("""{"name": "echo", "retry": {"attempts": 2, "backoff_ms": 86400000}}""", "retry backoff 86400000 ms is over the limit of 3600000 ms (lighthouse.scheduler.max-retry-backoff)")]
    [InlineData("""{"name": "echo", "retry": {"attempts": 2, "backoff_ms": -5}}""", "\"retry.backoff_ms\" is -5: a duration cannot be negative")]
    [InlineData("""{"name": "echo", "retry": {"attempts": 2, "backoff_ms": "NaN"}}""", "\"retry.backoff_ms\" must be a number of milliseconds, found \"NaN\"")]
    [InlineData("""{"name": "echo", "retry": {"attempts": 2, "jitter": true}}""", "unknown field \"retry.jitter\"")]
    [InlineData("""{"name": "echo", "retry": {"backoff_ms": 5}}""", "missing field \"retry.attempts\"")]
    [InlineData("""{"name": "echo", "retry": 3}""", "\"retry\" must be an object")]
    [InlineData("""{"name": "echo", "timeout_ms": 0}""", "timeout 0 ms is invalid: it must be positive")]
    [InlineData("""{"name": "echo", "timeout_ms": 864000000}""", "timeout 864000000 ms is over the limit of 604800000 ms (lighthouse.scheduler.max-task-timeout)")]
    [InlineData("""{"name": "echo", "timeout_ms": "Infinity"}""", "\"timeout_ms\" must be a number of milliseconds, found \"Infinity\"")]
    [InlineData("""{"name": "echo", "delay_ms": -1}""", "\"delay_ms\" is -1: a duration cannot be negative")]
    [InlineData("""{"name": "echo", "delay_ms": 40000000000}""", "(lighthouse.scheduler.max-delay)")]
    [InlineData("""{"name": "echo", "not_before": "3026-01-01T00:00:00Z"}""", "ahead, the limit (lighthouse.scheduler.max-delay)")]
    [InlineData("""{"name": "echo", "not_before": "2026-01-01T00:00:00"}""", "\"not_before\" must be an ISO-8601 time with its offset")]
    [InlineData("""{"name": "echo", "not_before": "tomorrow"}""", "\"not_before\" must be an ISO-8601 time with its offset")]
    [InlineData("""{"name": "echo", "delay_ms": 5, "not_before": "2026-01-01T00:00:00Z"}""", "both a delay and a not-before time are given")]
    public async Task A_hostile_policy_is_400_naming_the_field_or_the_limit_and_queues_nothing(string body, string message)
    {
        await using var web = await WebHarness.Start();

        using var response = await web.PostJson("/api/tasks", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await ErrorOf(response));
        Assert.Empty((await web.GetJson("/api/tasks?user=anonymous")).GetProperty("tasks").EnumerateArray());
    }

    [Fact]
    public async Task The_limits_are_the_schedulers_configuration()
    {
        await using var web = await WebHarness.Start(settings: SchedulerSettings.Default with { MaxRetryAttempts = 2 });

        using var response = await web.PostJson("/api/tasks", """{"name": "echo", "retry": {"attempts": 3}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("it must be between 0 and 2 (lighthouse.scheduler.max-retry-attempts)", await ErrorOf(response));
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
}
