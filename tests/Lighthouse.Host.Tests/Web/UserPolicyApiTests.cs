using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lighthouse.Host.Web;
using Lighthouse.Host.Web.Access;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// <c>/api/users</c>: an admin reads and changes the per-user weights and quotas; a user token (hostile: raising its own weight,
/// lowering another's quota) is refused with 403 and nothing changes; bad bodies are 400 naming the field. A quota shows in a
/// waiting task's <c>pending_reason</c>.
/// </summary>
public sealed class UserPolicyApiTests
{
    private const string Alice = "alice-secret";
    private const string Admin = "admin-secret";

    private static WebOptions Options() => new(Tokens: [ApiToken.ForUser(Alice, "alice"), ApiToken.ForAdmin(Admin)]);

    private static readonly SchedulerSettings Settings = SchedulerSettings.Default with
    {
        Users = new Dictionary<string, UserPolicySetting>(StringComparer.Ordinal) { ["alice"] = new(3, null) },
    };

    private static Task<HttpResponseMessage> Put(WebHarness web, string path, string json, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return web.Http.SendAsync(request);
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;

    [Fact]
    public async Task An_admin_lists_changes_and_resets_a_users_policy()
    {
        await using var web = await WebHarness.Start(Options(), Settings);

        var before = await web.GetJson("/api/users", Admin);
        using var put = await Put(web, "/api/users/bob", """{"weight": 2.5, "max_running": 4}""", Admin);
        var afterPut = await web.GetJson("/api/users", Admin);
        using var off = await Put(web, "/api/users/bob", """{"max_running": "off"}""", Admin);
        using var delete = await web.Delete("/api/users/bob", Admin);
        var afterDelete = await web.GetJson("/api/users", Admin);

        Assert.Equal("""{"default_weight":1,"default_max_running":null,"users":[{"user":"alice","weight":3,"max_running":null,"set_at_runtime":false}]}""", before.GetRawText());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("""{"user":"bob","weight":2.5,"max_running":4,"set_at_runtime":true}""", await put.Content.ReadAsStringAsync());
        Assert.Equal(["alice", "bob"], afterPut.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("user").GetString()));
        Assert.Equal("""{"user":"bob","weight":2.5,"max_running":null,"set_at_runtime":true}""", await off.Content.ReadAsStringAsync());
        Assert.Equal("""{"user":"bob","weight":1,"max_running":null,"set_at_runtime":false}""", await delete.Content.ReadAsStringAsync());
        Assert.Equal(before.GetRawText(), afterDelete.GetRawText());
    }

    [Fact]
    public async Task A_user_token_may_neither_read_nor_change_any_policy_and_nothing_changes()
    {
        await using var web = await WebHarness.Start(Options(), Settings);

        using var read = await web.Get("/api/users", Alice);
        using var raiseOwn = await Put(web, "/api/users/alice", """{"weight": 1000}""", Alice);
        using var limitOther = await Put(web, "/api/users/bob", """{"max_running": 1}""", Alice);
        using var resetOwn = await web.Delete("/api/users/alice", Alice);
        using var noToken = await Put(web, "/api/users/alice", """{"weight": 1000}""", null);

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal("permission denied: GET /api/users shows every user's tasks and workers; it needs an admin token, and this one is for user alice", await ErrorOf(read));
        foreach (var refused in new[] { raiseOwn, limitOther, resetOwn })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("changes what applies to every user; it needs an admin token, and this one is for user alice", await ErrorOf(refused));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        var users = (await web.GetJson("/api/users", Admin)).GetProperty("users");
        Assert.Equal("""[{"user":"alice","weight":3,"max_running":null,"set_at_runtime":false}]""", users.GetRawText());
    }

    [Theory]
    [InlineData("""{"weight": 0}""", "weight 0 is out of range: a weight is between 0.01 and 1000")]
    [InlineData("""{"weight": 1.234}""", "weight 1.234 has more than two decimals: weights are counted in hundredths")]
    [InlineData("""{"weight": "3"}""", "weight must be a number from 0.01 to 1000 (or null for the configured one), not \"3\"")]
    [InlineData("""{"max_running": 0}""", "max_running must be a whole number of running tasks of at least 1, \"off\" for no quota or null for the configured one, not 0")]
    [InlineData("""{"max_running": 2000000}""", "max_running 2000000 is out of range: a quota is between 1 and 1000000 running tasks, or off")]
    [InlineData("""{"max_running": 1.5}""", "max_running must be a whole number of running tasks of at least 1, \"off\" for no quota or null for the configured one, not 1.5")]
    [InlineData("""{"wieght": 2}""", "unknown field \"wieght\": a user's policy has weight and max_running")]
    [InlineData("""{}""", "the body names no field: give weight and/or max_running")]
    [InlineData("""[1]""", "the body must be a JSON object such as {\"weight\": 3, \"max_running\": 4}")]
    public async Task A_bad_body_is_400_naming_the_field_and_changes_nothing(string body, string expected)
    {
        await using var web = await WebHarness.Start(Options(), Settings);

        using var response = await Put(web, "/api/users/bob", body, Admin);

        Assert.Equal((HttpStatusCode.BadRequest, expected), (response.StatusCode, await ErrorOf(response)));
        Assert.Single((await web.GetJson("/api/users", Admin)).GetProperty("users").EnumerateArray());
    }

    [Fact]
    public async Task A_bad_user_name_is_400()
    {
        await using var web = await WebHarness.Start(Options(), Settings);

        using var response = await Put(web, "/api/users/" + new string('u', 201), """{"weight": 2}""", Admin);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("user_id \"uuuu", await ErrorOf(response));
        Assert.Contains("over the limit of 200 (lighthouse.scheduler.max-name-length)", await ErrorOf(response));
    }

    [Fact]
    public async Task A_task_waiting_on_its_users_quota_says_so()
    {
        await using var web = await WebHarness.Start(Options(), Settings);
        await web.AddWorker("w1", slots: 4);
        using var quota = await Put(web, "/api/users/alice", """{"max_running": 1}""", Admin);
        Assert.Equal(HttpStatusCode.OK, quota.StatusCode);

        var first = await web.Submit("""{"name": "hold", "user": "alice"}""", Alice);
        await web.UntilTask(first, t => t.GetProperty("state").GetString() == "running", Alice);
        var second = await web.Submit("""{"name": "hold", "user": "alice"}""", Alice);

        var waiting = await web.UntilTask(second, t => t.TryGetProperty("pending_reason", out var r) && r.GetString()!.Contains("quota"), Alice, peek: true);
        Assert.Equal("user alice is at its quota of 1 running tasks", waiting.GetProperty("pending_reason").GetString());
    }
}
