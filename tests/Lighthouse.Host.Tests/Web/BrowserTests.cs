using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lighthouse.Host.Web;
using Akka.Actor;
using Lighthouse.Host.Web.Access;
using Lighthouse.Host.Web.Monitor;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// The monitor page in a real browser (Debian's headless chromium) while workers run tasks: the assertions read the
/// DOM after the page's scripts ran.
/// </summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task The_monitor_shows_workers_slots_statistics_and_charts_and_they_change_as_tasks_finish()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("gpu-node", slots: 4, new Dictionary<string, double> { ["cpu"] = 16, ["memory"] = 64, ["gpu"] = 2 });
        await web.AddWorker("cpu-node-1", slots: 4);
        await web.AddWorker("cpu-node-2", slots: 4, priorities: new PriorityRange(0, 10));
        await RunToEnd(web, ("echo", "alice", 6), ("fail", "bob", 2));
        // Long sleeps keep running while the page is loaded; the GPU task can never start (no node has 4 GPUs).
        for (var i = 0; i < 3; i++) await web.Submit("""{"name": "sleep", "payload": 60000, "user": "carol", "requirements": {"cpu": 2}}""");
        await web.Submit("""{"name": "sleep", "payload": 60000, "user": "dave", "requirements": {"gpu": 1}}""");
        var blocked = await web.Submit("""{"name": "echo", "user": "erin", "priority": 5, "requirements": {"gpu": 4}}""");
        await WebHarness.Until(async () => (await web.GetJson("/api/queues")).GetProperty("running").GetInt32() == 4, "four sleeps to run");
        await WebHarness.Until(async () => (await web.GetJson("/api/overview")).GetProperty("blocked").GetProperty("count").GetInt32() == 1, "the GPU task to count as blocked");

        var first = await Chromium.DumpDom(web.BaseAddress);

        Assert.Contains("data-ready=\"true\"", first);
        var used = new[] { "gpu-node", "cpu-node-1", "cpu-node-2" }.Select(node => NodeSlots(first, node)).ToList();
        Assert.Equal(["4", "4", "4"], used.Select(u => u.Slots));
        Assert.Equal(4, used.Sum(u => int.Parse(u.Used)));
        Assert.Equal(4, Regex.Count(first, "class=\"running-task\" data-task=\"task-\\d+\" data-progress=\"40\""));
        Assert.Matches("data-node=\"cpu-node-2\"[^>]*>.*?<b class=\"priorities\">0 to 10</b>", first);
        Assert.Equal(("6", "6", "0"), StatsRow(first, "echo"));
        Assert.Equal(("2", "0", "2"), StatsRow(first, "fail"));
        Assert.Matches("<div id=\"banner-blocked\" class=\"banner banner-blocked\" role=\"alert\" data-count=\"1\">", first);
        Assert.Contains($"data-task=\"{blocked}\"", OldestWaiting(first));
        Assert.Matches("<tr data-member=\"[^\"]+\" data-status=\"up\" data-reachable=\"true\" data-scheduler=\"true\">", first);
        Assert.Equal(8, ChartTotal(first, "chart-finished"));
        foreach (var chart in new[] { "chart-finished", "chart-queued", "chart-running" })
            Assert.Matches($"<svg id=\"{chart}\"[^>]*data-points=\"600\"[^>]*>.*?<path class=\"line\" d=\"M", first);
        Assert.Equal(4, ChartLast(first, "chart-running"));

        await RunToEnd(web, ("echo", "alice", 4));
        var second = await Chromium.DumpDom(web.BaseAddress);

        Assert.Equal(("10", "10", "0"), StatsRow(second, "echo"));
        Assert.Equal(12, ChartTotal(second, "chart-finished"));
        Assert.Contains("id=\"summary-finished\" data-value=\"12\"", second);
    }

    [Fact]
    public async Task With_many_users_the_monitor_lists_the_busiest_and_says_how_many_more_and_its_banner_counts_every_waiting_task()
    {
        await using var web = await WebHarness.Start();
        // No worker: 60 users of one task each, and a busiest one with three.
        for (var i = 0; i < 60; i++) await web.Scheduler.Ask<SubmissionAccepted>(new SubmitTask("echo", "{}", $"user-{i:D2}"), WebHarness.Wait);
        for (var i = 0; i < 3; i++) await web.Scheduler.Ask<SubmissionAccepted>(new SubmitTask("echo", "{}", "busiest"), WebHarness.Wait);

        var dom = await Chromium.DumpDom(web.BaseAddress);

        Assert.Contains("data-ready=\"true\"", dom);
        var users = Regex.Matches(dom, "<tr data-user=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(OverviewSource.MaxUsersListed, users.Count);
        Assert.Equal(["busiest", "user-00", "user-01"], users.Take(3));
        Assert.Contains("<tr id=\"queues-more-users\" data-more=\"11\"><td colspan=\"4\" class=\"empty\">and 11 more users</td></tr>", dom);
        // The banner counts the same 63 tasks as the queue total.
        Assert.Matches("<div id=\"banner-blocked\" class=\"banner banner-blocked\" role=\"alert\" data-count=\"63\">⚠ 63 tasks are waiting", dom);
        Assert.Contains("id=\"summary-queued\" data-value=\"63\"", dom);
    }

    [Fact]
    public async Task A_worker_with_lanes_shows_one_meter_per_lane_with_its_priorities_nice_and_slots_in_use()
    {
        await using var web = await WebHarness.Start();
        // pyLoadBalancer's shape: urgent work at a low OS priority in its own lane, the rest in two more.
        WorkerLane[] lanes = [new(1, new PriorityRange(0, 9), 10), new(1, new PriorityRange(10, 99)), new(2, new PriorityRange(100, 1000))];
        var registration = TestWorker.Registration("laned", slots: 4, priorities: new PriorityRange(0, 1000)) with { Lanes = lanes };
        web.System.ActorOf(TestWorker.Props(web.Scheduler, registration), "worker-laned");
        await WebHarness.Until(async () => (await web.Scheduler.Ask<NodesView>(GetNodes.Instance, WebHarness.Wait)).Nodes.Any(n => n.Node == "laned"), "the laned worker registered");
        // Priority 5 holds the first lane's only slot; priority 500 one of the third lane's two.
        await web.Submit("""{"name": "hold", "user": "alice", "priority": 5}""");
        await web.Submit("""{"name": "hold", "user": "alice", "priority": 500}""");
        await WebHarness.Until(async () => (await web.GetJson("/api/queues")).GetProperty("running").GetInt32() == 2, "both holds to run");

        var dom = await Chromium.DumpDom(web.BaseAddress);

        Assert.Contains("data-ready=\"true\"", dom);
        Assert.Equal(("4", "2"), NodeSlots(dom, "laned"));
        var meters = Regex.Matches(dom, "<div class=\"meter\" data-resource=\"lane-(\\d)\" data-lane=\"\\d\" data-free=\"(\\d+)\" data-total=\"(\\d+)\"><div class=\"meter-label\"><span>([^<]+)</span>")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value)).ToList();
        Assert.Equal([("1", "0", "1", "Lane 0 to 9 · nice 10"), ("2", "1", "1", "Lane 10 to 99"), ("3", "1", "2", "Lane 100 to 1000")], meters);
    }

    [Fact]
    public async Task The_monitor_shows_delayed_and_key_blocked_tasks_with_their_reasons_and_a_task_page_its_parents_and_children()
    {
        await using var web = await WebHarness.Start(settings: Lighthouse.Scheduling.SchedulerSettings.Default with
        {
            ConcurrencyLimits = new Dictionary<string, int> { ["db"] = 1 },
        });
        await web.AddWorker("n1", slots: 4);
        var notBefore = DateTimeOffset.UtcNow.AddHours(2);
        var delayed = await web.Submit($$"""{"name": "echo", "user": "alice", "not_before": "{{notBefore.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}"}""");
        var holder = await web.Submit("""{"name": "hold", "user": "bob", "concurrency_key": "db"}""");
        var keyBlocked = await web.Submit("""{"name": "hold", "user": "bob", "concurrency_key": "db"}""");
        var child = await web.Submit($$"""{"name": "echo", "user": "bob", "after": ["{{holder}}"]}""");
        await web.UntilTask(holder, t => t.GetProperty("state").GetString() == "running", peek: true);

        var dom = await Chromium.DumpDom(web.BaseAddress);

        Assert.Contains("data-ready=\"true\"", dom);
        Assert.Equal(
            [
                (delayed, "delayed", "Delayed", $"not before {notBefore.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}Z"),
                (child, "dependencies", "Dependencies", $"waiting for {holder}"),
                (keyBlocked, "concurrency_key", "Concurrency key", "waiting for concurrency key db (1 of 1 running)"),
            ],
            Regex.Matches(dom, "<tr data-task=\"([^\"]+)\" data-waits-for=\"([^\"]+)\">.*?<td>([^<]+)</td><td class=\"reason\">([^<]+)</td></tr>")
                .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value)));
        foreach (var (kind, count) in new[] { ("delayed", 1), ("retrying", 0), ("dependencies", 1), ("concurrency_key", 1) })
            Assert.Contains($"data-waits-for=\"{kind}\" data-count=\"{count}\"", dom);
        // None of them is in a user's queue.
        Assert.Contains("id=\"summary-queued\" data-value=\"0\"", dom);

        var parentPage = await Chromium.DumpDom(new Uri(web.BaseAddress, "/tasks/" + holder));
        var childPage = await Chromium.DumpDom(new Uri(web.BaseAddress, "/tasks/" + child));

        Assert.Contains($"<dd data-field=\"dependents\">{child}</dd>", parentPage);
        Assert.Contains("<dd data-field=\"concurrency key\">db</dd>", parentPage);
        Assert.Contains($"<dd data-field=\"after\">{holder}</dd>", childPage);
        Assert.Contains($"<dd data-field=\"pending because\">waiting for {holder}</dd>", childPage);
    }

    [Fact]
    public async Task The_task_page_shows_status_progress_result_attempts_and_timeline()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1", slots: 1);
        var done = await web.Submit("""{"name": "echo", "payload": {"answer": 42}, "user": "alice"}""");
        await web.UntilTask(done, t => t.GetProperty("state").GetString() == "succeeded");
        var failed = await web.Submit("""{"name": "fail", "user": "alice"}""");
        await web.UntilTask(failed, t => t.GetProperty("state").GetString() == "failed");

        var success = await Chromium.DumpDom(new Uri(web.BaseAddress, "/tasks/" + done));
        var failure = await Chromium.DumpDom(new Uri(web.BaseAddress, "/tasks/" + failed));
        var unknown = await Chromium.DumpDom(new Uri(web.BaseAddress, "/tasks/task-404"));

        Assert.Contains($"<code id=\"task-id\">{done}</code>", success);
        Assert.Contains("<span id=\"task-state\" class=\"state\" data-state=\"succeeded\">succeeded</span>", success);
        Assert.Contains("<dd data-field=\"attempts\">1</dd>", success);
        Assert.Contains("<dd data-field=\"node\">n1</dd>", success);
        Assert.Matches("<pre id=\"task-outcome\" class=\"outcome\">\\{\\s+\"answer\": 42\\s+\\}</pre>", success);
        Assert.Matches("<li data-step=\"started\"><b>Started</b> on n1 \\(attempt 1\\), after waiting", success);
        Assert.Contains("<li data-step=\"finished\"><b>Succeeded</b> after running", success);
        Assert.Contains("<pre id=\"task-outcome\" class=\"outcome error\">boom</pre>", failure);
        Assert.Contains("No task task-404: unknown task id task-404.", unknown);
    }

    [Fact]
    public async Task With_a_token_the_monitor_asks_for_it_keeps_it_for_the_tab_only_and_then_shows_the_data()
    {
        const string token = "monitor-admin-secret";
        await using var web = await WebHarness.Start(new WebOptions(Tokens: [ApiToken.ForAdmin(token)]));
        await web.AddWorker("token-node", slots: 3);
        await using var page = await ChromiumPage.Open(web.BaseAddress);

        await page.Until("document.getElementById('token-form')?.hidden === false", "the page to ask for a token");
        Assert.Equal("false", (await page.Evaluate("document.body.dataset.ready")).GetString());
        Assert.Equal(0, (await page.Evaluate("document.querySelectorAll('[data-node]').length")).GetInt32());
        Assert.Equal("The API needs a token: enter it above.", (await page.Evaluate("document.getElementById('banner-error').textContent")).GetString());

        await page.Evaluate($"document.getElementById('token-input').value = '{token}'; document.getElementById('token-form').requestSubmit()");
        await page.Until("document.querySelector('[data-node=\"token-node\"]') !== null", "the worker node to show once the token is given");

        Assert.Equal("true", (await page.Evaluate("document.body.dataset.ready")).GetString());
        Assert.Equal("3", (await page.Evaluate("document.querySelector('[data-node=\"token-node\"]').dataset.slots")).GetString());
        Assert.True((await page.Evaluate("document.getElementById('token-form').hidden")).GetBoolean());
        // The token lives in this tab's session storage only: nothing in local storage, no cookie.
        Assert.Equal(token, (await page.Evaluate("sessionStorage.getItem('lighthouse.api-token')")).GetString());
        Assert.Equal(0, (await page.Evaluate("localStorage.length")).GetInt32());
        Assert.Equal("", (await page.Evaluate("document.cookie")).GetString());

        await page.Evaluate("document.getElementById('token-forget').click()");

        Assert.Equal(JsonValueKind.Null, (await page.Evaluate("sessionStorage.getItem('lighthouse.api-token')")).ValueKind);
        Assert.False((await page.Evaluate("document.getElementById('token-form').hidden")).GetBoolean());
    }

    [Fact]
    public async Task A_wrong_token_is_dropped_and_asked_for_again()
    {
        await using var web = await WebHarness.Start(new WebOptions(Tokens: [ApiToken.ForAdmin("right-secret")]));
        await using var page = await ChromiumPage.Open(web.BaseAddress);
        await page.Until("document.getElementById('token-form')?.hidden === false", "the page to ask for a token");

        await page.Evaluate("document.getElementById('token-input').value = 'wrong-secret'; document.getElementById('token-form').requestSubmit()");
        await page.Until("document.getElementById('token-message').textContent.startsWith('The token was refused')", "the page to say the token was refused");

        Assert.Equal(JsonValueKind.Null, (await page.Evaluate("sessionStorage.getItem('lighthouse.api-token')")).ValueKind);
        Assert.Equal("false", (await page.Evaluate("document.body.dataset.ready")).GetString());
    }

    private static async Task RunToEnd(WebHarness web, params (string Name, string User, int Count)[] batches)
    {
        var ids = new List<string>();
        foreach (var (name, user, count) in batches)
        {
            for (var i = 0; i < count; i++) ids.Add(await web.Submit($$"""{"name": "{{name}}", "user": "{{user}}", "payload": {"n": {{i}} } }"""));
        }
        foreach (var id in ids) await web.UntilTask(id, t => t.GetProperty("state").GetString() is "succeeded" or "failed");
    }

    private static (string Slots, string Used) NodeSlots(string dom, string node)
    {
        var match = Regex.Match(dom, $"<article class=\"node\" data-node=\"{Regex.Escape(node)}\" data-state=\"reachable\" data-slots=\"(\\d+)\" data-slots-used=\"(\\d+)\">");
        Assert.True(match.Success, $"no row for worker node {node}");
        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    private static (string Finished, string Succeeded, string Failed) StatsRow(string dom, string name)
    {
        var match = Regex.Match(dom, $"<tr data-task-name=\"{Regex.Escape(name)}\" data-finished=\"(\\d+)\" data-succeeded=\"(\\d+)\" data-failed=\"(\\d+)\"");
        Assert.True(match.Success, $"no statistics row for task name {name}");
        return (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
    }

    private static string OldestWaiting(string dom)
    {
        var match = Regex.Match(dom, "<div id=\"oldest-waiting\" class=\"oldest\"[^>]*>");
        Assert.True(match.Success, "no oldest waiting task box");
        return match.Value;
    }

    private static double ChartTotal(string dom, string id) => ChartNumber(dom, id, "total");

    private static double ChartLast(string dom, string id) => ChartNumber(dom, id, "last");

    private static double ChartNumber(string dom, string id, string key)
    {
        var match = Regex.Match(dom, $"<svg id=\"{id}\"[^>]*data-{key}=\"([0-9.]+)\"");
        Assert.True(match.Success, $"chart {id} has no data-{key}");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
