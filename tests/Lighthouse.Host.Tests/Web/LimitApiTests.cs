using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lighthouse.Host.Web;
using Lighthouse.Host.Web.Access;
using Lighthouse.Scheduling;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// Concurrency keys and limits through the HTTP API (docs/task-policies.md): <c>GET /api/limits</c>, <c>PUT</c> and
/// <c>DELETE /api/limits/KEY</c> against a real scheduler, every hostile body or key a 400 naming the field or the
/// configuration key, user tokens refused with 403 and nothing changed, and the key's wait visible in a task's status and /metrics.
/// </summary>
public sealed class LimitApiTests
{
    private const string Alice = "alice-secret";
    private const string Admin = "admin-secret";

    private static readonly SchedulerSettings Settings = SchedulerSettings.Default with
    {
        ConcurrencyLimits = new Dictionary<string, int> { ["db"] = 2 },
        MaxConcurrencyLimit = 100,
        MaxConcurrencyKeys = 3,
    };

    private static Task<HttpResponseMessage> Put(WebHarness web, string path, string json, string? token = null, string type = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(type);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return web.Http.SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;

    private static JsonElement Key(JsonElement limits, string key) =>
        limits.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("key").GetString() == key);

    [Fact]
    public async Task Six_tasks_with_a_key_limited_to_two_run_two_at_a_time_and_the_others_say_why_they_wait()
    {
        await using var web = await WebHarness.Start(settings: Settings);
        await web.AddWorker("n1", slots: 8);
        var ids = new List<string>();
        for (var i = 0; i < 6; i++) ids.Add(await web.Submit("""{"name": "hold", "concurrency_key": "db"}"""));

        await web.UntilTask(ids[1], t => t.GetProperty("state").GetString() == "running", peek: true);
        var waiting = await web.GetJson($"/api/tasks/{ids[2]}?peek=true");
        Assert.Equal("queued", waiting.GetProperty("state").GetString());
        Assert.Equal("waiting for concurrency key db (2 of 2 running)", waiting.GetProperty("pending_reason").GetString());
        Assert.Equal("db", waiting.GetProperty("concurrency_key").GetString());

        var limits = await web.GetJson("/api/limits");
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("default_limit").ValueKind);
        Assert.Equal(4, limits.GetProperty("waits").GetInt64());
        Assert.Equal("""{"key":"db","limit":2,"configured_limit":2,"runtime_limit":null,"running":2,"queued":0,"waiting":4}""", Key(limits, "db").GetRawText());

        var metrics = await HealthAndMetricsTests.Scrape(web);
        Assert.Equal(4, metrics["lighthouse_concurrency_key_waits_total"]);
        Assert.Equal(2, metrics["lighthouse_concurrency_key_running{key=\"db\"}"]);
        Assert.Equal(4, metrics["lighthouse_concurrency_key_waiting{key=\"db\"}"]);
    }

    [Fact]
    public async Task Put_raises_lowers_and_null_or_delete_removes_the_runtime_limit()
    {
        await using var web = await WebHarness.Start(settings: Settings);
        await web.AddWorker("n1", slots: 8);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await web.Submit("""{"name": "hold", "concurrency_key": "db"}"""));

        using var raised = await Put(web, "/api/limits/db", """{"limit": 4}""");
        Assert.Equal(4, (await Json(raised)).GetProperty("runtime_limit").GetInt32());
        await web.UntilTask(ids[3], t => t.GetProperty("state").GetString() == "running", peek: true);

        using var lowered = await Put(web, "/api/limits/db", """{"limit": 1}""");
        var db = await Json(lowered);
        // Running tasks keep running; the fifth waits until fewer than one run.
        Assert.Equal((1, 4, 1), (db.GetProperty("limit").GetInt32(), db.GetProperty("running").GetInt32(), db.GetProperty("waiting").GetInt32()));

        using var nulled = await Put(web, "/api/limits/db", """{"limit": null}""");
        Assert.Equal(JsonValueKind.Null, (await Json(nulled)).GetProperty("runtime_limit").ValueKind);
        Assert.Equal(2, Key(await web.GetJson("/api/limits"), "db").GetProperty("limit").GetInt32());

        using var paused = await Put(web, "/api/limits/other", """{"limit": 0}""");
        Assert.Equal(0, (await Json(paused)).GetProperty("limit").GetInt32());
        using var deleted = await web.Delete("/api/limits/other");
        var other = await Json(deleted);
        Assert.Equal(JsonValueKind.Null, other.GetProperty("limit").ValueKind);
        Assert.DoesNotContain((await web.GetJson("/api/limits")).GetProperty("keys").EnumerateArray(), k => k.GetProperty("key").GetString() == "other");
    }

    [Theory]
    [InlineData("/api/limits/db", """{"limit": -1}""", "field \"limit\" must be a whole number of 0 or more (or null), not -1")]
    [InlineData("/api/limits/db", """{"limit": 1.5}""", "field \"limit\" must be a whole number of 0 or more (or null), not 1.5")]
    [InlineData("/api/limits/db", """{"limit": "2"}""", "field \"limit\" must be a whole number")]
    [InlineData("/api/limits/db", """{"limit": 99999999999}""", "field \"limit\" must be a whole number")]
    [InlineData("/api/limits/db", """{"limit": 101}""", "limit 101 is invalid: it must be between 0 and 100 (lighthouse.scheduler.max-concurrency-limit)")]
    [InlineData("/api/limits/db", """{}""", "missing field \"limit\"")]
    [InlineData("/api/limits/db", """{"limit": 1, "limits": 2}""", "unknown field \"limits\"")]
    [InlineData("/api/limits/db", """{"limit": 1, "limit": 2}""", "field \"limit\" appears twice")]
    [InlineData("/api/limits/db", """[1]""", "the request body must be a JSON object")]
    [InlineData("/api/limits/db", """{"limit": """, "the request body is not valid JSON")]
    [InlineData("/api/limits/a%20b", """{"limit": 1}""", "key \"a b\" contains ' '")]
    [InlineData("/api/limits/k1", """{"limit": 1}""", "lighthouse.scheduler.max-concurrency-keys")]
    public async Task A_hostile_limit_or_key_is_400_naming_the_field_or_the_configuration_key_and_changes_nothing(string path, string body, string message)
    {
        await using var web = await WebHarness.Start(settings: Settings);
        // Two keys in use besides db: a fourth is over max-concurrency-keys (3).
        using var k2 = await Put(web, "/api/limits/k2", """{"limit": 1}""");
        using var k3 = await Put(web, "/api/limits/k3", """{"limit": 1}""");

        using var response = await Put(web, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await ErrorOf(response));
        var limits = await web.GetJson("/api/limits");
        Assert.Equal(["db", "k2", "k3"], limits.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("key").GetString()));
        Assert.Equal(JsonValueKind.Null, Key(limits, "db").GetProperty("runtime_limit").ValueKind);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        await using var web = await WebHarness.Start(settings: Settings);
        using var response = await Put(web, "/api/limits/db", "limit=3", type: "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_user_token_is_refused_403_for_reading_setting_and_removing_limits_and_nothing_changes()
    {
        await using var web = await WebHarness.Start(new WebOptions(Tokens: [ApiToken.ForUser(Alice, "alice"), ApiToken.ForAdmin(Admin)]), Settings);

        using var read = await web.Get("/api/limits", Alice);
        using var set = await Put(web, "/api/limits/db", """{"limit": 50}""", Alice);
        using var removed = await web.Delete("/api/limits/db", Alice);
        using var anonymous = await Put(web, "/api/limits/db", """{"limit": 50}""");

        foreach (var refused in new[] { read, set, removed })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.StartsWith("permission denied", await ErrorOf(refused));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var db = Key(await web.GetJson("/api/limits", Admin), "db");
        Assert.Equal((2, JsonValueKind.Null), (db.GetProperty("limit").GetInt32(), db.GetProperty("runtime_limit").ValueKind));
        using var byAdmin = await Put(web, "/api/limits/db", """{"limit": 5}""", Admin);
        Assert.Equal(5, (await Json(byAdmin)).GetProperty("limit").GetInt32());
    }
}
