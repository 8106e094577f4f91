using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Tests.Shared;

namespace Lighthouse.IntegrationTests.Web;

/// <summary>
/// The HTTP API of a real <c>lighthouse serve</c> process with a real <c>lighthouse-worker</c> process, all on loopback:
/// submit, status, cancel, list, views, metrics, every error status, and the bearer token.
/// </summary>
public sealed class HttpApiProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Tasks_submitted_over_http_run_on_a_worker_process_and_every_error_has_its_status()
    {
        await using var cluster = new LocalCluster();
        using var config = new TempFile("lighthouse.scheduler.queue-cap-per-user = 2\nlighthouse.host.http.max-body-size = 4KiB\n");
        var host = await cluster.StartHostAsync(arguments: ["--config", config.Path]);
        var worker = await cluster.StartWorkerAsync(host, "w1", slots: 2);
        using var http = new HttpClient { BaseAddress = host.Http, Timeout = Limit };
        await Eventually.Holds(async () => (await Json(http, "/api/nodes")).GetProperty("nodes").GetArrayLength() == 1, "the worker to register", Limit, cluster.Logs);

        var echo = await Submit(http, """{"name": "echo", "payload": {"hello": ["wörld", 1.5]}, "user": "alice"}""");
        var sleep = await Submit(http, """{"name": "sleep", "payload": {"ms": 60000}, "user": "alice"}""");
        var done = await Until(http, echo, "succeeded", cluster);
        await Until(http, sleep, "running", cluster);

        Assert.Equal("""{"hello":["wörld",1.5]}""", JsonSerializer.Serialize(done.GetProperty("result"), new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal(worker.NodeName, done.GetProperty("node").GetString());
        using (var cancel = await http.DeleteAsync($"/api/tasks/{sleep}"))
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await Until(http, sleep, "cancelled", cluster);
        Assert.Equal([echo, sleep], (await Json(http, "/api/tasks?user=alice")).GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));

        // Errors: bad input, unknown id, oversized body, full queue (no worker handles "render", so they stay queued).
        await ExpectError(http, Post("""{"name": "echo", "requirements": {"cpu": "NaN"}}"""), HttpStatusCode.BadRequest, "requirement \"cpu\" is \"NaN\"");
        await ExpectError(http, Post("""{"name": "echo", """), HttpStatusCode.BadRequest, "not valid JSON");
        await ExpectError(http, new HttpRequestMessage(HttpMethod.Get, "/api/tasks/task-999"), HttpStatusCode.NotFound, "unknown task id task-999");
        await ExpectError(http, Post($$"""{"name": "echo", "payload": "{{new string('x', 5000)}}"}"""), HttpStatusCode.RequestEntityTooLarge, "over the limit of 4096 bytes");
        await Submit(http, """{"name": "render", "user": "bob"}""");
        await Submit(http, """{"name": "render", "user": "bob"}""");
        await ExpectError(http, Post("""{"name": "render", "user": "bob"}"""), HttpStatusCode.TooManyRequests, "queue-cap-per-user = 2");

        var queues = await Json(http, "/api/queues");
        Assert.Equal(2, queues.GetProperty("queued").GetInt32());
        using var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("lighthouse_tasks_succeeded_total{task_name=\"echo\"} 1", metrics);
        Assert.Contains("lighthouse_tasks_cancelled_total{task_name=\"sleep\"} 1", metrics);
        Assert.Contains("lighthouse_workers{state=\"reachable\"} 1", metrics);
        var members = (await Json(http, "/api/cluster")).GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(2, members.Count);
        Assert.Equal(host.AkkaAddress, members.Single(m => m.GetProperty("runs_scheduler").GetBoolean()).GetProperty("address").GetString());
    }

    [Fact]
    public async Task With_a_bearer_token_submit_cancel_and_reads_need_it_and_health_stays_open()
    {
        await using var cluster = new LocalCluster();
        using var config = new TempFile("lighthouse.host.http.bearer-token = \"integration-secret\"\n");
        var host = await cluster.StartHostAsync(arguments: ["--config", config.Path]);
        using var http = new HttpClient { BaseAddress = host.Http, Timeout = Limit };

        await ExpectError(http, Post("""{"name": "echo"}"""), HttpStatusCode.Unauthorized, "none was sent");
        await ExpectError(http, Post("""{"name": "echo"}""", "wrong"), HttpStatusCode.Unauthorized, "the bearer token is wrong");
        using var accepted = await http.SendAsync(Post("""{"name": "echo"}""", "integration-secret"));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await ExpectError(http, new HttpRequestMessage(HttpMethod.Delete, $"/api/tasks/{id}"), HttpStatusCode.Unauthorized, "none was sent");
        await ExpectError(http, new HttpRequestMessage(HttpMethod.Get, $"/api/tasks/{id}"), HttpStatusCode.Unauthorized, "none was sent");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);

        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/tasks/{id}") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "integration-secret") } };
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(read)).StatusCode);
        using var cancel = new HttpRequestMessage(HttpMethod.Delete, $"/api/tasks/{id}") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "integration-secret") } };
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(cancel)).StatusCode);
    }

    [Fact]
    public async Task A_non_loopback_http_address_without_a_token_is_refused_at_start_up()
    {
        using var config = new TempFile("lighthouse.host.http.hostname = \"0.0.0.0\"\n");
        await using var host = HostProcess.Launch(["serve", "--config", config.Path, "--port", "0", "--http-port", "0", "--no-local-worker"]);

        var exitCode = await host.WaitForExitAsync(Limit);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(host.Log.Stderr, line => line.Contains("refusing to serve the HTTP API on http://0.0.0.0:0 without a bearer token", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Log.Stdout, line => line.StartsWith("lighthouse up at ", StringComparison.Ordinal));
    }

    private static HttpRequestMessage Post(string json, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/tasks") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static async Task<string> Submit(HttpClient http, string json)
    {
        using var response = await http.SendAsync(Post(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submit answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task ExpectError(HttpClient http, HttpRequestMessage request, HttpStatusCode status, string message)
    {
        using (request)
        using (var response = await http.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
            Assert.Contains(message, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        }
    }

    private static async Task<JsonElement> Json(HttpClient http, string path) =>
        JsonDocument.Parse(await http.GetStringAsync(path)).RootElement.Clone();

    private static async Task<JsonElement> Until(HttpClient http, string id, string state, LocalCluster cluster)
    {
        JsonElement task = default;
        await Eventually.Holds(async () => (task = await Json(http, $"/api/tasks/{id}")).GetProperty("state").GetString() == state, $"task {id} to be {state}", Limit, cluster.Logs);
        return task;
    }
}
