using Lighthouse.Scheduling;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// The task policies on <c>/metrics</c> (docs/task-policies.md, "Metrics"): a real scheduler retrying, timing out, delaying, holding
/// children and key waiters, and a user at its quota, scraped over HTTP.
/// </summary>
public sealed class PolicyMetricsTests
{
    private static readonly SchedulerSettings Settings = SchedulerSettings.Default with
    {
        ConcurrencyLimits = new Dictionary<string, int> { ["db"] = 1 },
        TimeoutGrace = TimeSpan.FromMilliseconds(100),
        Users = new Dictionary<string, UserPolicySetting> { ["carol"] = new(null, 1) },
    };

    [Fact]
    public async Task Metrics_count_retries_timeouts_and_quota_waits_and_the_tasks_waiting_for_each_policy()
    {
        await using var web = await WebHarness.Start(settings: Settings);
        await web.AddWorker("n1", slots: 8);
        var empty = await HealthAndMetricsTests.Scrape(web);
        Assert.Equal((0, 0, 0), (empty["lighthouse_task_retries_total"], empty["lighthouse_task_timeouts_total"], empty["lighthouse_user_quota_waits_total"]));
        Assert.Equal(0, empty["lighthouse_tasks_delayed"]);

        await web.Submit("""{"name": "echo", "delay_ms": 600000}""");
        var parent = await web.Submit("""{"name": "hold"}""");
        await web.Submit($$"""{"name": "echo", "after": ["{{parent}}"]}""");
        await web.Submit($$"""{"name": "echo", "after": ["{{parent}}"]}""");
        await web.Submit("""{"name": "hold", "concurrency_key": "db"}""");
        await web.Submit("""{"name": "hold", "concurrency_key": "db"}""");
        var retried = await web.Submit("""{"name": "fail", "retry": {"attempts": 1, "backoff_ms": 600000}}""");
        var timedOut = await web.Submit("""{"name": "hold", "timeout_ms": 100}""");
        await web.Submit("""{"name": "hold", "user": "carol"}""");
        await web.Submit("""{"name": "hold", "user": "carol"}""");
        await web.UntilTask(retried, t => t.GetProperty("retries").GetInt32() == 1, peek: true);
        await web.UntilTask(timedOut, t => t.GetProperty("state").GetString() == "failed", peek: true);

        var metrics = await HealthAndMetricsTests.Scrape(web);

        Assert.Equal(1, metrics["lighthouse_task_retries_total"]);
        Assert.Equal(1, metrics["lighthouse_task_timeouts_total"]);
        Assert.Equal(1, metrics["lighthouse_user_quota_waits_total"]);
        Assert.Equal(1, metrics["lighthouse_tasks_delayed"]);
        Assert.Equal(1, metrics["lighthouse_tasks_retrying"]);
        Assert.Equal(2, metrics["lighthouse_tasks_waiting_for_dependencies"]);
        Assert.Equal(1, metrics["lighthouse_tasks_waiting_for_concurrency_key"]);
        // carol's second task is the one queued task: the policy-waiting ones are in no user queue.
        Assert.Equal(1, metrics["lighthouse_tasks_queued"]);
        Assert.Equal(1, metrics["lighthouse_concurrency_key_waits_total"]);
    }
}
