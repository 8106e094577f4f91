using System.Net;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using Lighthouse.Host.Web;
using Lighthouse.Scheduling;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// A host that is not (yet) a cluster member cannot reach the scheduler singleton: its API says so at once with 503
/// and Retry-After instead of holding the request for the ask timeout (issue 13: a starting host took submissions it
/// could not deliver), and serves as soon as it has joined.
/// </summary>
public sealed class HostReadinessTests
{
    [Theory]
    [InlineData(MemberStatus.Up, null)]
    [InlineData(MemberStatus.WeaklyUp, null)]
    [InlineData(MemberStatus.Joining, "has not joined the cluster yet")]
    [InlineData(MemberStatus.Leaving, "is leaving the cluster")]
    [InlineData(MemberStatus.Exiting, "is leaving the cluster")]
    [InlineData(MemberStatus.Down, "is not a member of the cluster")]
    [InlineData(MemberStatus.Removed, "is not a member of the cluster")]
    public void Only_an_up_member_is_ready(MemberStatus status, string? reason)
    {
        var said = HostReadiness.Reason(status);
        if (reason is null) Assert.Null(said);
        else Assert.Contains(reason, said);
    }

    [Fact]
    public async Task A_host_that_has_not_joined_answers_503_with_retry_after_at_once_then_serves_once_joined()
    {
        var system = ActorSystem.Create(LighthouseNames.ActorSystem, """
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.remote.dot-netty.tcp.port = 0
            akka.cluster.roles = [scheduler]
            """);
        try
        {
            // The scheduler itself runs in this system (as a plain actor): only the host's membership keeps it from serving.
            var scheduler = system.ActorOf(SchedulerActor.Props(SchedulerSettings.Default), "scheduler");
            var app = LighthouseWeb.Build(new WebOptions { Port = 0, AskTimeout = TimeSpan.FromSeconds(30) }, scheduler, system);
            await app.StartAsync().WaitAsync(WebHarness.Wait);
            try
            {
                using var http = new HttpClient { BaseAddress = LighthouseWeb.ListeningAddress(app), Timeout = TimeSpan.FromSeconds(20) };

                // Not joined: refused without waiting for the 30 s ask timeout (the client's own 20 s would throw first).
                var refused = await http.PostAsync("/api/tasks", Json("""{"name": "echo", "user": "alice", "payload": {}}"""));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
                // Before Join, Akka reports its own member as Removed.
                Assert.Contains("not a member of the cluster", await refused.Content.ReadAsStringAsync());
                var notQueued = await http.GetAsync("/api/queues");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, notQueued.StatusCode);

                var cluster = Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
                await WebHarness.Until(() => Task.FromResult(cluster.SelfMember.Status == MemberStatus.Up), "the host to be up");

                var accepted = await http.PostAsync("/api/tasks", Json("""{"name": "echo", "user": "alice", "payload": {}}"""));
                Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
                using var body = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync());
                Assert.StartsWith("task-", body.RootElement.GetProperty("id").GetString());
            }
            finally
            {
                await app.StopAsync().WaitAsync(WebHarness.Wait);
            }
        }
        finally
        {
            await system.Terminate().WaitAsync(WebHarness.Wait);
        }
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
