using System.Net;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Lighthouse.Host.Web;
using Lighthouse.Scheduling;

namespace Lighthouse.Host.Tests.Web;

/// <summary>Every error is <c>{"error": "..."}</c> naming the problem, with its status, and loses nothing already accepted.</summary>
public sealed class ErrorStatusTests
{
    [Theory]
    [InlineData("""{"name": "echo", """, "the request body is not valid JSON")]
    [InlineData("", "the request body is not valid JSON")]
    [InlineData("""["echo"]""", "the request body must be a JSON object with at least \"name\", found an array")]
    [InlineData("""{"user": "alice"}""", "missing field \"name\": the task name says which handler runs it")]
    [InlineData("""{"name": ""}""", "\"name\" is empty")]
    [InlineData("""{"name": 7}""", "\"name\" must be a string, found 7")]
    [InlineData("""{"name": "echo", "requirements": {"cpu": "NaN"}}""", "task \"echo\": requirement \"cpu\" is \"NaN\", not a quantity; expected a number, \"Infinity\" or \"-Infinity\"")]
    [InlineData("""{"name": "echo", "requirements": {"cpu": "abc"}}""", "task \"echo\": requirement \"cpu\" is \"abc\", not a quantity")]
    [InlineData("""{"name": "echo", "requirements": [1]}""", "task \"echo\": \"requirements\" must be an object of requirement name → quantity, found an array")]
    [InlineData("""{"name": "echo", "priority": "7"}""", "\"priority\" must be a whole number between -2147483648 and 2147483647, found \"7\"")]
    [InlineData("""{"name": "echo", "priority": 1.5}""", "\"priority\" must be a whole number between -2147483648 and 2147483647, found 1.5")]
    [InlineData("""{"name": "echo", "max_attempts": 0}""", "max attempts 0 is invalid: a task needs at least 1 attempt")]
    [InlineData("""{"name": "echo", "immunities": "gpu"}""", "\"immunities\" must be an array of strings, found \"gpu\"")]
    [InlineData("""{"name": "echo", "aversion_groups": ["a", 2]}""", "\"aversion_groups[1]\" must be a string, found 2")]
    [InlineData("""{"name": "echo", "requirments": {"cpu": 1}}""", "unknown field \"requirments\"; the fields are \"name\", \"payload\"")]
    [InlineData("""{"name": "echo", "name": "fail"}""", "field \"name\" appears twice")]
    [InlineData("""{"name": "echo", "requirements": {"slots": 1}}""", "requirement \"slots\" is reserved")]
    [InlineData("""{"name": "echo\u0007"}""", "task name \"echo\u0007\" contains the control character U+0007")]
    public async Task A_bad_submission_is_400_naming_the_problem_and_queues_nothing(string body, string message)
    {
        await using var web = await WebHarness.Start();
        var accepted = await web.Submit("""{"name": "echo", "user": "alice"}""");

        using var response = await web.PostJson("/api/tasks", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await ErrorOf(response));
        var queues = await web.GetJson("/api/queues");
        Assert.Equal(1, queues.GetProperty("queued").GetInt32());
        Assert.Equal("queued", (await web.GetJson("/api/tasks/" + accepted)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Error_bodies_keep_quotes_readable_for_people_who_print_them()
    {
        await using var web = await WebHarness.Start();

        using var response = await web.PostJson("/api/tasks", """{"name": "echo", "requirements": {"cpu": "NaN"}}""");

        var raw = await response.Content.ReadAsStringAsync();
        Assert.Contains("requirement \\\"cpu\\\"", raw);
        Assert.DoesNotContain("\\u0022", raw);
    }

    [Fact]
    public async Task Unknown_task_ids_are_404_for_status_and_cancel_and_unknown_paths_are_404_too()
    {
        await using var web = await WebHarness.Start();

        using var get = await web.Http.GetAsync("/api/tasks/task-999");
        using var cancel = await web.Delete("/api/tasks/task-999");
        using var path = await web.Http.GetAsync("/api/nope");

        Assert.Equal((HttpStatusCode.NotFound, "unknown task id task-999"), (get.StatusCode, await ErrorOf(get)));
        Assert.Equal((HttpStatusCode.NotFound, "unknown task id task-999"), (cancel.StatusCode, await ErrorOf(cancel)));
        Assert.Equal((HttpStatusCode.NotFound, "no such endpoint: GET /api/nope"), (path.StatusCode, await ErrorOf(path)));
    }

    [Fact]
    public async Task A_method_the_path_does_not_take_is_405_naming_both()
    {
        await using var web = await WebHarness.Start();

        using var response = await web.Http.PutAsync("/api/tasks/task-1", new StringContent("{}"));

        Assert.Equal((HttpStatusCode.MethodNotAllowed, "PUT is not allowed on /api/tasks/task-1"), (response.StatusCode, await ErrorOf(response)));
    }

    [Fact]
    public async Task Listing_without_a_user_is_400()
    {
        await using var web = await WebHarness.Start();

        using var response = await web.Http.GetAsync("/api/tasks");

        Assert.Equal((HttpStatusCode.BadRequest, "listing tasks needs a user: GET /api/tasks?user=NAME"), (response.StatusCode, await ErrorOf(response)));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_with_or_without_a_content_length_and_queues_nothing()
    {
        await using var web = await WebHarness.Start(new WebOptions(MaxBodyBytes: 1024));
        var big = $$"""{"name": "echo", "payload": "{{new string('x', 2000)}}"}""";

        using var sized = await web.PostJson("/api/tasks", big);
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var unsized = await web.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/tasks") { Content = chunked, Headers = { TransferEncodingChunked = true } });
        var fits = await web.Submit("""{"name": "echo", "payload": "small"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        Assert.Equal($"the request body is {Encoding.UTF8.GetByteCount(big)} bytes, over the limit of 1024 bytes", await ErrorOf(sized));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, unsized.StatusCode);
        Assert.Equal("the request body is over the limit of 1024 bytes", await ErrorOf(unsized));
        Assert.Equal(1, (await web.GetJson("/api/queues")).GetProperty("queued").GetInt32());
        Assert.Equal("queued", (await web.GetJson("/api/tasks/" + fits)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_full_queue_across_users_is_429_with_retry_after_and_a_name_over_the_limit_is_400()
    {
        await using var web = await WebHarness.Start(settings: SchedulerSettings.Default with { QueueCapTotal = 2 });
        await web.Submit("""{"name": "echo", "user": "alice"}""");
        await web.Submit("""{"name": "echo", "user": "bob"}""");

        using var full = await web.PostJson("/api/tasks", """{"name": "echo", "user": "carol"}""");
        using var longName = await web.PostJson("/api/tasks", $$"""{"name": "{{new string('n', 201)}}", "user": "carol"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        Assert.Equal("1", full.Headers.RetryAfter?.ToString());
        Assert.Equal("the queue is full: 2 tasks are queued across all users, the cap (lighthouse.scheduler.queue-cap-total = 2); try again later", await ErrorOf(full));
        Assert.Equal(HttpStatusCode.BadRequest, longName.StatusCode);
        Assert.EndsWith("is 201 characters long, over the limit of 200 (lighthouse.scheduler.max-name-length)", await ErrorOf(longName));
    }

    [Fact]
    public async Task A_full_user_queue_is_429_with_the_schedulers_reason_and_other_users_still_get_in()
    {
        var settings = SchedulerSettings.Default with { QueueCapPerUser = 2 };
        await using var web = await WebHarness.Start(settings: settings);
        var first = await web.Submit("""{"name": "echo", "user": "alice"}""");
        var second = await web.Submit("""{"name": "echo", "user": "alice"}""");

        using var full = await web.PostJson("/api/tasks", """{"name": "echo", "user": "alice"}""");
        await web.Submit("""{"name": "echo", "user": "bob"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        Assert.Equal("user \"alice\" already has 2 queued tasks, the cap per user (lighthouse.scheduler.queue-cap-per-user = 2)", await ErrorOf(full));
        var alice = (await web.GetJson("/api/tasks?user=alice")).GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!);
        Assert.Equal([first, second], alice);
    }

    [Fact]
    public async Task A_bad_submission_from_a_user_whose_queue_is_full_is_400_not_429()
    {
        await using var web = await WebHarness.Start(settings: SchedulerSettings.Default with { QueueCapPerUser = 1 });
        var queued = await web.Submit("""{"name": "echo", "user": "alice"}""");

        using var bad = await web.PostJson("/api/tasks", """{"name": "echo", "user": "alice", "max_attempts": 0}""");
        using var full = await web.PostJson("/api/tasks", """{"name": "echo", "user": "alice"}""");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("max attempts 0 is invalid: a task needs at least 1 attempt", await ErrorOf(bad));
        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        var alice = (await web.GetJson("/api/tasks?user=alice")).GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!);
        Assert.Equal([queued], alice);
    }

    [Fact]
    public async Task A_payload_over_the_schedulers_cap_in_a_body_the_api_takes_is_413_with_the_schedulers_reason()
    {
        await using var web = await WebHarness.Start(settings: SchedulerSettings.Default with { MaxPayloadBytes = 10 });

        using var response = await web.PostJson("/api/tasks", """{"name": "echo", "payload": "0123456789"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload is 12 bytes, over the cap of 10 bytes (lighthouse.scheduler.max-payload-bytes)", await ErrorOf(response));
        Assert.Equal(0, (await web.GetJson("/api/queues")).GetProperty("queued").GetInt32());
    }

    [Fact]
    public async Task A_scheduler_that_does_not_answer_makes_the_api_answer_503()
    {
        await using var web = await WebHarness.Start(new WebOptions(AskTimeout: TimeSpan.FromMilliseconds(300)));
        await web.Scheduler.GracefulStop(TimeSpan.FromSeconds(5));

        using var nodes = await web.Http.GetAsync("/api/nodes");
        using var submit = await web.PostJson("/api/tasks", """{"name": "echo"}""");
        using var status = await web.Http.GetAsync("/api/tasks/task-1");
        using var overview = await web.Http.GetAsync("/api/overview");

        foreach (var response in new[] { nodes, submit, status, overview })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("the scheduler did not answer", await ErrorOf(response));
        }
        Assert.Contains("GetNodes within 0.3 s", await ErrorOf(nodes));
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["error"], body.EnumerateObject().Select(p => p.Name));
        return body.GetProperty("error").GetString()!;
    }
}
