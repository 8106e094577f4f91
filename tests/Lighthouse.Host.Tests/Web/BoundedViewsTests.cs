using System.Net;
using System.Text.Json;
using Akka.Actor;
using Lighthouse.Host.Web.Monitor;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// The all-users views stay small however many users queue (issue 13): busiest users first, a page of them, and the
/// count of the rest; the overview's blocked count is the scheduler's own, over every queued task.
/// </summary>
public sealed class BoundedViewsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_overview_with_100000_users_lists_the_50_busiest_and_counts_the_rest_and_every_queued_task_as_blocked()
    {
        await using var web = await WebHarness.Start();
        const int users = 100_000;
        for (var i = 0; i < users; i++) web.Scheduler.Tell(new SubmitTask("echo", "{}", $"user-{i:D6}"), ActorRefs.Nobody);
        // Two more for one user: the busiest, listed first.
        web.Scheduler.Tell(new SubmitTask("echo", "{}", "user-099999"), ActorRefs.Nobody);
        await web.Scheduler.Ask<SubmissionAccepted>(new SubmitTask("echo", "{}", "user-099999"), TimeSpan.FromSeconds(60));

        using var response = await web.Get("/api/overview");
        var body = await response.Content.ReadAsByteArrayAsync();
        output.WriteLine($"/api/overview with {users:N0} users of 1 queued task each: {body.Length:N0} bytes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var overview = JsonDocument.Parse(body).RootElement;

        var queues = overview.GetProperty("queues");
        Assert.Equal(users + 2, queues.GetProperty("queued").GetInt32());
        var listed = queues.GetProperty("users").EnumerateArray().ToList();
        Assert.Equal(50, listed.Count);
        Assert.Equal(("user-099999", 3), (listed[0].GetProperty("user").GetString(), listed[0].GetProperty("queued").GetInt32()));
        Assert.Equal(["user-000000", "user-000001"], listed.Skip(1).Take(2).Select(u => u.GetProperty("user").GetString()));
        Assert.Equal((users, 0, users - 50), (queues.GetProperty("users_total").GetInt32(), queues.GetProperty("offset").GetInt32(), queues.GetProperty("more_users").GetInt32()));
        // No worker at all: every queued task is blocked, the same count as the queue total (it once said 116).
        Assert.Equal(users + 2, overview.GetProperty("blocked").GetProperty("count").GetInt32());
        Assert.Equal(users + 2, queues.GetProperty("blocked").GetInt32());
        Assert.True(body.Length < 64 * 1024, $"the overview is {body.Length} bytes");
    }

    [Fact]
    public async Task The_overview_counts_every_task_waiting_for_a_policy_and_lists_twenty_in_turns_by_kind()
    {
        await using var web = await WebHarness.Start();
        const int delayed = 500;
        for (var i = 0; i < delayed; i++)
            web.Scheduler.Tell(new SubmitTask("echo", "{}", $"user-{i % 7}") { Delay = TimeSpan.FromMinutes(10 + i) }, ActorRefs.Nobody);
        var parent = await web.Scheduler.Ask<SubmissionAccepted>(new SubmitTask("echo", "{}", "alice") { Delay = TimeSpan.FromHours(1) }, WebHarness.Wait);
        for (var i = 0; i < 3; i++)
            await web.Scheduler.Ask<SubmissionAccepted>(new SubmitTask("echo", "{}", "alice") { After = [parent.TaskId] }, WebHarness.Wait);

        var waiting = (await web.GetJson("/api/overview")).GetProperty("waiting_for_policies");

        Assert.Equal((delayed + 1, 0, 3, 0), (waiting.GetProperty("delayed").GetInt32(), waiting.GetProperty("retrying").GetInt32(),
            waiting.GetProperty("dependencies").GetInt32(), waiting.GetProperty("concurrency_key").GetInt32()));
        var tasks = waiting.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(PolicyWaiting.MaxListed, tasks.Count);
        // The three children are listed although 501 delayed tasks come first in the scheduler's answer; the delayed ones soonest first.
        Assert.Equal(3, tasks.Count(t => t.GetProperty("waits_for").GetString() == "dependencies"));
        Assert.Equal("task-1", tasks[0].GetProperty("id").GetString());
        Assert.StartsWith("not before ", tasks[0].GetProperty("pending_reason").GetString());
        Assert.Equal($"waiting for {parent.TaskId}", tasks[^1].GetProperty("pending_reason").GetString());
    }

    [Fact]
    public async Task Queues_page_through_the_users_busiest_first_with_offset_and_limit()
    {
        await using var web = await WebHarness.Start();
        // carol 3 queued, alice 2, bob 2 (names break the tie), dave 1.
        foreach (var user in new[] { "carol", "carol", "carol", "alice", "alice", "bob", "bob", "dave" })
            await web.Scheduler.Ask<SubmissionAccepted>(new SubmitTask("echo", "{}", user), WebHarness.Wait);

        var first = await web.GetJson("/api/queues?limit=2");
        Assert.Equal(["carol", "alice"], Users(first));
        Assert.Equal((4, 0, 2, 8), (first.GetProperty("users_total").GetInt32(), first.GetProperty("offset").GetInt32(), first.GetProperty("more_users").GetInt32(), first.GetProperty("queued").GetInt32()));

        var second = await web.GetJson("/api/queues?offset=2&limit=2");
        Assert.Equal(["bob", "dave"], Users(second));
        Assert.Equal((2, 0), (second.GetProperty("offset").GetInt32(), second.GetProperty("more_users").GetInt32()));

        var past = await web.GetJson("/api/queues?offset=10");
        Assert.Empty(Users(past));
        Assert.Equal(0, past.GetProperty("more_users").GetInt32());

        // Without parameters: the first page of the default size, which holds all four.
        Assert.Equal(["carol", "alice", "bob", "dave"], Users(await web.GetJson("/api/queues")));
    }

    [Theory]
    [InlineData("limit=1001", "limit", "between 0 and 1000")]
    [InlineData("limit=-1", "limit", "between 0 and 1000")]
    [InlineData("offset=-5", "offset", "at least 0")]
    [InlineData("limit=many", "limit", "a whole number")]
    [InlineData("offset=1.5", "offset", "a whole number")]
    public async Task A_bad_page_is_refused_naming_the_parameter(string query, string parameter, string why)
    {
        await using var web = await WebHarness.Start();

        using var response = await web.Get("/api/queues?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.Contains(parameter, error);
        Assert.Contains(why, error);
    }

    private static List<string> Users(JsonElement queues) =>
        queues.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("user").GetString()!).ToList();
}
