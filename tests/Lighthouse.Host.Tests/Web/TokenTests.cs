using System.Net;
using System.Text.Json;
using Lighthouse.Host.Web;
using Lighthouse.Host.Web.Access;
using Lighthouse.Scheduling;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// The API's tokens against hostile callers: no token, a wrong one, a user token acting for another user or on another
/// user's task, a user token on the views of every user; and what stays open (health, the monitor page).
/// </summary>
public sealed class TokenTests
{
    private const string Alice = "alice-secret";
    private const string Bob = "bob-secret";
    private const string Admin = "admin-secret";

    /// <summary>Bob's token is configured by its SHA-256 only: the clear text is nowhere in the options.</summary>
    private static WebOptions Options() => new(Tokens:
    [
        ApiToken.ForUser(Alice, "alice"),
        new ApiToken(TokenSha256: ApiToken.Sha256Of(Bob), User: "bob"),
        ApiToken.ForAdmin(Admin),
    ]);

    public static TheoryData<string> ApiReads => new()
    {
        "/api/tasks/task-1", "/api/tasks/task-1?peek=true", "/api/tasks?user=alice", "/api/tasks", "/api/nodes", "/api/queues",
        "/api/stats", "/api/history", "/api/cluster", "/api/overview", "/metrics", "/api/no/such/endpoint",
    };

    public static TheoryData<string> EveryUsersViews => new()
    {
        "/api/nodes", "/api/queues", "/api/stats", "/api/history", "/api/cluster", "/api/overview", "/metrics",
    };

    [Theory]
    [MemberData(nameof(ApiReads))]
    public async Task Every_api_read_and_metrics_answer_401_without_a_token_or_with_a_wrong_one(string path)
    {
        await using var web = await WebHarness.Start(Options());

        using var none = await web.Get(path);
        using var wrong = await web.Get(path, "guess");
        using var notBearer = await SendWithAuthorization(web, path, "Basic YWxpY2U6c2VjcmV0");

        Assert.Equal((HttpStatusCode.Unauthorized, "this endpoint needs \"Authorization: Bearer <token>\"; none was sent"), (none.StatusCode, await ErrorOf(none)));
        Assert.Equal((HttpStatusCode.Unauthorized, "the bearer token is wrong"), (wrong.StatusCode, await ErrorOf(wrong)));
        Assert.Equal((HttpStatusCode.Unauthorized, "the Authorization header is not \"Bearer <token>\""), (notBearer.StatusCode, await ErrorOf(notBearer)));
        foreach (var response in new[] { none, wrong, notBearer }) Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Submit_and_cancel_without_a_valid_token_are_401_and_change_nothing()
    {
        await using var web = await WebHarness.Start(Options());
        var id = await web.Submit("""{"name": "echo", "user": "alice"}""", Alice);

        using var submitNone = await web.PostJson("/api/tasks", """{"name": "echo", "user": "alice"}""");
        using var submitWrong = await web.PostJson("/api/tasks", """{"name": "echo", "user": "alice"}""", Alice + "x");
        using var cancelNone = await web.Delete("/api/tasks/" + id);
        using var cancelWrong = await web.Delete("/api/tasks/" + id, "admin");

        Assert.All([submitNone, submitWrong, cancelNone, cancelWrong], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(1, (await web.GetJson("/api/queues", Admin)).GetProperty("queued").GetInt32());
        Assert.Equal("queued", (await web.GetJson("/api/tasks/" + id, Admin)).GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/")]
    [InlineData("/tasks/task-1")]
    [InlineData("/monitor.js")]
    [InlineData("/monitor.css")]
    public async Task Health_probes_and_the_monitor_page_need_no_token(string path)
    {
        await using var web = await WebHarness.Start(Options());

        using var response = await web.Get(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_user_token_submits_as_its_user_and_a_body_without_user_is_its_users()
    {
        await using var web = await WebHarness.Start(Options());

        var named = await web.Submit("""{"name": "echo", "user": "alice"}""", Alice);
        var unnamed = await web.Submit("""{"name": "echo"}""", Alice);
        var byAdmin = await web.Submit("""{"name": "echo"}""", Admin);

        Assert.Equal("alice", (await web.GetJson("/api/tasks/" + named, Admin)).GetProperty("user").GetString());
        Assert.Equal("alice", (await web.GetJson("/api/tasks/" + unnamed, Admin)).GetProperty("user").GetString());
        // An admin token stands for nobody in particular: its submissions default as an open host's always did.
        Assert.Equal(SubmissionJson.DefaultUser, (await web.GetJson("/api/tasks/" + byAdmin, Admin)).GetProperty("user").GetString());
    }

    [Fact]
    public async Task A_user_token_cannot_submit_for_another_user()
    {
        await using var web = await WebHarness.Start(Options());

        using var response = await web.PostJson("/api/tasks", """{"name": "echo", "user": "bob"}""", Alice);

        Assert.Equal((HttpStatusCode.Forbidden, "token for alice cannot act for bob"), (response.StatusCode, await ErrorOf(response)));
        Assert.Equal(0, (await web.GetJson("/api/queues", Admin)).GetProperty("queued").GetInt32());
    }

    [Fact]
    public async Task A_user_token_cannot_read_another_users_task_and_the_refused_read_does_not_shorten_its_retention()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var settings = SchedulerSettings.Default with { ResultTtl = TimeSpan.FromHours(1), CollectedRetention = TimeSpan.FromMinutes(1) };
        await using var web = await WebHarness.Start(Options(), settings, clock);
        await web.AddWorker("n1");
        var bobs = await web.Submit("""{"name": "echo", "user": "bob"}""", Bob);
        var control = await web.Submit("""{"name": "echo", "user": "bob"}""", Bob);
        await WebHarness.Until(async () => await State(web, bobs) == "succeeded" && await State(web, control) == "succeeded", "both of bob's tasks to succeed");

        using var read = await web.Get("/api/tasks/" + bobs, Alice);
        using var peek = await web.Get($"/api/tasks/{bobs}?peek=true", Alice);
        using var collected = await web.Get("/api/tasks/" + control, Bob);
        clock.Advance(TimeSpan.FromMinutes(2));

        foreach (var refused in new[] { read, peek })
        {
            Assert.Equal((HttpStatusCode.Forbidden, $"permission denied: task {bobs} belongs to another user"), (refused.StatusCode, await ErrorOf(refused)));
        }
        Assert.Equal(HttpStatusCode.OK, collected.StatusCode);
        // Bob's own read collected his control task (gone a minute later); Alice's refused reads collected nothing.
        Assert.Equal("succeeded", await State(web, bobs));
        Assert.Null(await State(web, control));
    }

    [Fact]
    public async Task A_user_token_cannot_cancel_another_users_task()
    {
        await using var web = await WebHarness.Start(Options());
        var bobs = await web.Submit("""{"name": "echo", "user": "bob"}""", Bob);

        using var response = await web.Delete("/api/tasks/" + bobs, Alice);

        Assert.Equal((HttpStatusCode.Forbidden, $"permission denied: task {bobs} belongs to another user"), (response.StatusCode, await ErrorOf(response)));
        Assert.Equal("queued", await State(web, bobs));
    }

    [Fact]
    public async Task A_user_token_reads_and_cancels_its_own_task()
    {
        await using var web = await WebHarness.Start(Options());
        var id = await web.Submit("""{"name": "echo"}""", Bob);

        var read = await web.GetJson("/api/tasks/" + id, Bob);
        var peeked = await web.GetJson($"/api/tasks/{id}?peek=true", Bob);
        using var cancel = await web.Delete("/api/tasks/" + id, Bob);

        Assert.Equal(("bob", "queued"), (read.GetProperty("user").GetString(), read.GetProperty("state").GetString()));
        Assert.Equal(id, peeked.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", await State(web, id));
    }

    [Fact]
    public async Task An_unknown_task_is_404_to_a_user_token_as_to_everyone()
    {
        await using var web = await WebHarness.Start(Options());

        using var read = await web.Get("/api/tasks/task-404", Alice);
        using var cancel = await web.Delete("/api/tasks/task-404", Alice);

        Assert.Equal((HttpStatusCode.NotFound, "unknown task id task-404"), (read.StatusCode, await ErrorOf(read)));
        Assert.Equal((HttpStatusCode.NotFound, "unknown task id task-404"), (cancel.StatusCode, await ErrorOf(cancel)));
    }

    [Fact]
    public async Task A_user_token_lists_only_its_own_users_tasks()
    {
        await using var web = await WebHarness.Start(Options());
        var alices = await web.Submit("""{"name": "echo"}""", Alice);
        await web.Submit("""{"name": "echo"}""", Bob);

        using var foreign = await web.Get("/api/tasks?user=bob", Alice);
        var own = await web.GetJson("/api/tasks?user=alice", Alice);
        var implicitUser = await web.GetJson("/api/tasks", Alice);
        var byAdmin = await web.GetJson("/api/tasks?user=bob", Admin);

        Assert.Equal((HttpStatusCode.Forbidden, "token for alice cannot act for bob"), (foreign.StatusCode, await ErrorOf(foreign)));
        Assert.Equal([alices], Ids(own));
        Assert.Equal("alice", implicitUser.GetProperty("user").GetString());
        Assert.Equal([alices], Ids(implicitUser));
        Assert.Single(Ids(byAdmin));
    }

    [Theory]
    [MemberData(nameof(EveryUsersViews))]
    public async Task The_views_of_every_users_tasks_and_workers_are_for_admin_tokens_only(string path)
    {
        await using var web = await WebHarness.Start(Options());

        using var user = await web.Get(path, Alice);
        using var admin = await web.Get(path, Admin);

        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
        Assert.Equal($"permission denied: GET {path} shows every user's tasks and workers; it needs an admin token, and this one is for user alice", await ErrorOf(user));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task A_token_configured_by_its_sha256_works_and_the_hash_itself_is_no_token()
    {
        await using var web = await WebHarness.Start(Options());

        var id = await web.Submit("""{"name": "echo"}""", Bob);
        using var byHash = await web.Get("/api/tasks/" + id, ApiToken.Sha256Of(Bob));

        Assert.Equal("bob", (await web.GetJson("/api/tasks/" + id, Bob)).GetProperty("user").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, byHash.StatusCode);
    }

    [Fact]
    public async Task The_bearer_token_is_an_admin_token_for_reads_and_views_too()
    {
        await using var web = await WebHarness.Start(new WebOptions(BearerToken: Admin, Tokens: [ApiToken.ForUser(Alice, "alice")]));
        var alices = await web.Submit("""{"name": "echo"}""", Alice);

        using var without = await web.Get("/api/queues");
        var queues = await web.GetJson("/api/queues", Admin);
        var task = await web.GetJson("/api/tasks/" + alices, Admin);
        using var cancel = await web.Delete("/api/tasks/" + alices, Admin);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(1, queues.GetProperty("queued").GetInt32());
        Assert.Equal("alice", task.GetProperty("user").GetString());
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    public static TheoryData<ApiToken, string> BadTokens => new()
    {
        { new ApiToken(User: "alice"), "lighthouse.host.http.tokens[1]: has no secret: give token = \"...\" or token-sha256 = \"<64 hex digits>\"" },
        { new ApiToken(Token: "", User: "alice"), "lighthouse.host.http.tokens[1]: token is empty or contains white space" },
        { new ApiToken(Token: "a b", User: "alice"), "lighthouse.host.http.tokens[1]: token is empty or contains white space" },
        { new ApiToken(Token: "t", TokenSha256: ApiToken.Sha256Of("t"), User: "alice"), "lighthouse.host.http.tokens[1]: give token or token-sha256, not both" },
        { new ApiToken(TokenSha256: "abc", User: "alice"), "lighthouse.host.http.tokens[1]: token-sha256 = \"abc\" is not a SHA-256 in hex (64 digits 0-9, a-f)" },
        { new ApiToken(TokenSha256: new string('g', 64), User: "alice"), $"lighthouse.host.http.tokens[1]: token-sha256 = \"{new string('g', 64)}\" is not a SHA-256 in hex (64 digits 0-9, a-f)" },
        { new ApiToken(Token: "t"), "lighthouse.host.http.tokens[1]: stands for nobody: give user = \"NAME\" or admin = on" },
        { new ApiToken(Token: "t", User: "alice", Admin: true), "lighthouse.host.http.tokens[1]: is both admin and for user \"alice\": an admin token acts for every user; give one or the other" },
        { new ApiToken(Token: "t", User: "al\u0001ce"), "lighthouse.host.http.tokens[1]: user \"al\u0001ce\" contains the control character U+0001" },
        { new ApiToken(Token: "t", User: " "), "lighthouse.host.http.tokens[1]: user is empty" },
        { new ApiToken(Token: "t", User: new string('u', 201)), $"lighthouse.host.http.tokens[1]: user \"{new string('u', 40)}…\" is 201 characters long, over the limit of 200 (lighthouse.scheduler.max-name-length)" },
        { new ApiToken(TokenSha256: ApiToken.Sha256Of(Alice), User: "bob"), "lighthouse.host.http.tokens[1] has the same secret as tokens[0]; give each token its own" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public void A_token_that_cannot_work_is_refused_naming_its_entry_and_field(ApiToken bad, string message) =>
        Assert.Equal(message, Assert.Throws<WebConfigurationException>(() => new WebOptions(Tokens: [ApiToken.ForUser(Alice, "alice"), bad]).Validated()).Message);

    [Fact]
    public void A_token_never_shows_its_secret_when_printed()
    {
        Assert.Equal("ApiToken { user = alice }", ApiToken.ForUser(Alice, "alice").ToString());
        Assert.DoesNotContain(Admin, ApiToken.ForAdmin(Admin).ToString());
    }

    [Fact]
    public void A_non_loopback_address_with_user_tokens_only_is_accepted() =>
        Assert.True(new WebOptions(Address: "0.0.0.0", Tokens: [ApiToken.ForUser(Alice, "alice")]).Validated().HasTokens);

    private static async Task<string?> State(WebHarness web, string id)
    {
        using var response = await web.Get($"/api/tasks/{id}?peek=true", Admin);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString();
    }

    private static string[] Ids(JsonElement list) =>
        list.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToArray();

    private static Task<HttpResponseMessage> SendWithAuthorization(WebHarness web, string path, string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return web.Http.SendAsync(request);
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
}
