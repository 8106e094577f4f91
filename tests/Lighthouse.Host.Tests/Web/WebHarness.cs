using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Lighthouse.Host.Web;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Tests.Shared;
using Microsoft.AspNetCore.Builder;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// A real web app on 127.0.0.1 (a free port) over a real <see cref="SchedulerActor"/> in an in-test ActorSystem,
/// with <see cref="TestWorker"/> nodes. Every wait is bounded; disposing stops the app and the system.
/// </summary>
internal sealed class WebHarness : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private WebHarness(ActorSystem system, IActorRef scheduler, WebApplication app, HttpClient http)
    {
        System = system;
        Scheduler = scheduler;
        App = app;
        Http = http;
    }

    public ActorSystem System { get; }

    public IActorRef Scheduler { get; }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public Uri BaseAddress => Http.BaseAddress!;

    public static async Task<WebHarness> Start(WebOptions? options = null, SchedulerSettings? settings = null, TimeProvider? clock = null)
    {
        var system = ActorSystem.Create("lighthouse-web-test", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        try
        {
            var scheduler = system.ActorOf(SchedulerActor.Props(settings ?? SchedulerSettings.Default, clock), "scheduler");
            var app = LighthouseWeb.Build((options ?? new WebOptions()) with { Port = 0, AskTimeout = options?.AskTimeout ?? TimeSpan.FromSeconds(3) }, scheduler, system, clock);
            await app.StartAsync().WaitAsync(Wait);
            var http = new HttpClient { BaseAddress = LighthouseWeb.ListeningAddress(app), Timeout = Wait };
            return new WebHarness(system, scheduler, app, http);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>Starts a worker node and waits until the scheduler lists it.</summary>
    public async Task<IActorRef> AddWorker(string node, int slots = 2, IReadOnlyDictionary<string, double>? resources = null, PriorityRange? priorities = null)
    {
        var worker = System.ActorOf(TestWorker.Props(Scheduler, TestWorker.Registration(node, slots, resources, priorities)), "worker-" + node);
        await Until(async () => (await Scheduler.Ask<NodesView>(GetNodes.Instance, Wait)).Nodes.Any(n => n.Node == node), $"worker {node} registered");
        return worker;
    }

    public Task<HttpResponseMessage> PostJson(string path, string json, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> Delete(string path, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Http.SendAsync(request);
    }

    /// <summary>Submits and returns the new task's id, asserting 201.</summary>
    public async Task<string> Submit(string json, string? token = null)
    {
        using var response = await PostJson("/api/tasks", json, token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submit answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public Task<HttpResponseMessage> Get(string path, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Http.SendAsync(request);
    }

    public async Task<JsonElement> GetJson(string path, string? token = null)
    {
        using var response = await Get(path, token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Reads (with <paramref name="peek"/>, peeks at) a task's status through the API until <paramref name="condition"/> holds (bounded).</summary>
    public async Task<JsonElement> UntilTask(string id, Func<JsonElement, bool> condition, string? token = null, bool peek = false)
    {
        JsonElement task = default;
        var path = "/api/tasks/" + id + (peek ? "?peek=true" : "");
        await Until(async () => condition(task = await GetJson(path, token)), $"task {id} to reach the expected state");
        return task;
    }

    public static Task Until(Func<Task<bool>> condition, string what) => Eventually.Holds(condition, what, Wait);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await App.StopAsync().WaitAsync(Wait);
        }
        finally
        {
            await App.DisposeAsync();
            await System.Terminate().WaitAsync(Wait);
        }
    }
}
