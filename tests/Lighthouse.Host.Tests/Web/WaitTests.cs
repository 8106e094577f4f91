using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Akka.Actor;
using Lighthouse.Host.Web;
using Lighthouse.Host.Web.Access;
using Lighthouse.Host.Web.Waits;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// <c>GET /api/tasks/{id}?wait=SECONDS</c>: it answers the task's end as soon as it comes, its current state at the
/// timeout, refuses bad values, keeps the ownership rules of a plain read, and holds a thousand waits at once.
/// </summary>
public sealed class WaitTests
{
    // Longer than any wait these tests ask for: a request that answers at all answered by itself.
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_wait_answers_with_the_end_as_soon_as_the_task_ends_long_before_its_timeout()
    {
        await using var web = await WebHarness.Start();
        var worker = await web.AddWorker("n1");
        var id = await web.Submit("""{"name": "hold", "payload": {"n": 1}, "user": "alice"}""");
        await web.UntilTask(id, t => t.GetProperty("state").GetString() == "running");
        using var http = LongClient(web);

        var waiting = http.GetAsync($"/api/tasks/{id}?wait=60");
        await UntilWaits(web, 1);
        Assert.False(waiting.IsCompleted);
        worker.Tell(new TestWorker.Finish(id));
        // Far below the 60 s asked for: the answer came from the end, not from the timeout.
        using var response = await waiting.WaitAsync(WebHarness.Wait);

        var task = await BodyOf(response, HttpStatusCode.OK);
        Assert.Equal("succeeded", task.GetProperty("state").GetString());
        Assert.Equal("""{"n":1}""", JsonSerializer.Serialize(task.GetProperty("result")));
        await UntilWaits(web, 0);
    }

    [Fact]
    public async Task A_wait_on_a_task_that_does_not_end_answers_its_current_state_at_the_timeout()
    {
        await using var web = await WebHarness.Start();
        await web.AddWorker("n1");
        var id = await web.Submit("""{"name": "hold", "user": "alice"}""");
        await web.UntilTask(id, t => t.GetProperty("state").GetString() == "running");

        var task = await web.GetJson($"/api/tasks/{id}?wait=0.5");

        Assert.Equal(("running", 30.0), (task.GetProperty("state").GetString(), task.GetProperty("progress").GetDouble()));
        // The request that gave up is forgotten by the watcher.
        await UntilWaits(web, 0);
    }

    [Fact]
    public async Task A_wait_on_a_finished_task_answers_at_once_and_collects_it_like_a_plain_read()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var web = await WebHarness.Start(clock: clock);
        await web.AddWorker("n1");
        var id = await web.Submit("""{"name": "echo", "user": "alice"}""");
        await web.UntilTask(id, t => t.GetProperty("state").GetString() == "succeeded", peek: true);

        var task = await web.GetJson($"/api/tasks/{id}?wait=60").WaitAsync(WebHarness.Wait);
        clock.Advance(TimeSpan.FromSeconds(61));
        using var gone = await web.Get($"/api/tasks/{id}?peek=true");

        Assert.Equal("succeeded", task.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_wait_with_peek_and_a_wait_that_timed_out_leave_the_task_uncollected()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var web = await WebHarness.Start(clock: clock);
        var worker = await web.AddWorker("n1");
        var id = await web.Submit("""{"name": "hold", "user": "alice"}""");
        await web.UntilTask(id, t => t.GetProperty("state").GetString() == "running", peek: true);
        using var http = LongClient(web);

        // This wait gives up before the end: the watch it left behind must not collect the task when it ends.
        var timedOut = await web.GetJson($"/api/tasks/{id}?wait=0.2");
        var peeking = http.GetAsync($"/api/tasks/{id}?wait=60&peek=true");
        await UntilWaits(web, 1);
        worker.Tell(new TestWorker.Finish(id));
        using var peeked = await peeking.WaitAsync(WebHarness.Wait);
        var ended = await BodyOf(peeked, HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromSeconds(61));
        var still = await web.GetJson($"/api/tasks/{id}?peek=true");

        Assert.Equal("running", timedOut.GetProperty("state").GetString());
        Assert.Equal("succeeded", ended.GetProperty("state").GetString());
        Assert.Equal("succeeded", still.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("60.5")]
    [InlineData("61")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1e3")]
    [InlineData("NaN")]
    public async Task A_wait_that_is_not_above_0_and_at_most_60_seconds_is_400_naming_the_parameter_and_the_limit(string wait)
    {
        await using var web = await WebHarness.Start();
        var id = await web.Submit("""{"name": "echo"}""");

        using var response = await web.Get($"/api/tasks/{id}?wait={Uri.EscapeDataString(wait)}");

        var error = (await BodyOf(response, HttpStatusCode.BadRequest)).GetProperty("error").GetString();
        Assert.Equal($"wait must be a number of seconds greater than 0 and at most 60, found \"{wait}\"", error);
    }

    [Fact]
    public async Task A_user_token_waiting_for_another_users_task_is_403_and_an_unknown_task_is_404()
    {
        await using var web = await WebHarness.Start(new WebOptions(Tokens: [ApiToken.ForUser("alice-secret", "alice"), ApiToken.ForUser("bob-secret", "bob"), ApiToken.ForAdmin("admin-secret")]));
        var id = await web.Submit("""{"name": "hold", "user": "alice"}""", "alice-secret");

        using var bobs = await web.Get($"/api/tasks/{id}?wait=30", "bob-secret");
        using var bobPeeks = await web.Get($"/api/tasks/{id}?wait=30&peek=true", "bob-secret");
        using var unknown = await web.Get("/api/tasks/no-such-task?wait=30", "bob-secret");
        using var unknownToAdmin = await web.Get("/api/tasks/no-such-task?wait=30", "admin-secret");
        using var none = await web.Get($"/api/tasks/{id}?wait=30");

        Assert.Equal(HttpStatusCode.Forbidden, bobs.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bobPeeks.StatusCode);
        Assert.DoesNotContain("alice", await bobs.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownToAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("queued", (await web.GetJson($"/api/tasks/{id}?wait=0.1", "alice-secret")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_thousand_waits_are_held_open_at_once_and_all_answer_when_their_tasks_end()
    {
        const int Tasks = 100, WaitsPerTask = 10;
        await using var web = await WebHarness.Start();
        var ids = new List<string>();
        for (var i = 0; i < Tasks; i++) ids.Add(await web.Submit($$"""{"name": "hold", "user": "user{{i % 10}}"}"""));
        using var http = LongClient(web);

        var waits = ids.SelectMany(id => Enumerable.Range(0, WaitsPerTask).Select(_ => ReadWait(http, id))).ToList();
        await UntilWaits(web, Tasks * WaitsPerTask, TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(waits, w => w.IsCompleted);
        foreach (var id in ids)
        {
            using var cancelled = await web.Delete("/api/tasks/" + id);
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        }
        var answers = await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(Tasks * WaitsPerTask, answers.Length);
        Assert.All(answers, answer => Assert.Equal("cancelled", answer));
        await UntilWaits(web, 0);
    }

    private static async Task<string> ReadWait(HttpClient http, string id)
    {
        using var response = await http.GetAsync($"/api/tasks/{id}?wait=60&peek=true");
        return (await BodyOf(response, HttpStatusCode.OK)).GetProperty("state").GetString()!;
    }

    private static HttpClient LongClient(WebHarness web) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = web.BaseAddress, Timeout = HttpTimeout };

    private static async Task<JsonElement> BodyOf(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"answered {(int)response.StatusCode} instead of {(int)expected}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Until the web app's wait watcher holds exactly <paramref name="count"/> waits (bounded).</summary>
    private static Task UntilWaits(WebHarness web, int count, TimeSpan? within = null) =>
        Eventually.Holds(async () =>
        {
            var watcher = web.System.ActorSelection("/user/" + TaskWaits.ActorNamePrefix + "*");
            return (await watcher.Ask<TaskWaitCount>(CountTaskWaits.Instance, WebHarness.Wait)).Waiters == count;
        }, $"{count} HTTP waits held", within ?? WebHarness.Wait);
}
