using Akka.Actor;
using Akka.Cluster;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Worker.Tests.Integration;

/// <summary>
/// A WorkerHub embedded in an ActorSystem the user built by hand, as the README shows, over real Akka.Remote on
/// loopback against an in-process host: the library brings what it needs (serializer, frame), or refuses to start
/// naming the setting, or says why it cannot register.
/// </summary>
public sealed class EmbeddingTests : HostWithWorkerNodes
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>A cluster node configured with nothing of Lighthouse's: only what any Akka user writes.</summary>
    private ActorSystem BareNode(string extra = "", bool seeded = true) => Nodes.Start(extra, seeded);

    private static WorkerHub Hub(string node) => WorkerHub.Create(o =>
    {
        o.NodeName = node;
        o.Slots = 2;
        o.Handle("shout", task => Task.FromResult(System.Text.Json.Nodes.JsonNode.Parse(task.PayloadText.ToUpperInvariant())));
    });

    [Fact]
    public async Task A_hub_on_a_system_without_lighthouse_configuration_registers_and_runs_tasks_with_large_payloads()
    {
        var node = BareNode(extra: "remote.dot-netty.tcp.maximum-frame-size = 4MiB");
        Hub("bare-1").StartInCluster(node);

        // 300 KB: over Akka's default frame, under the payload cap; it crosses both ways (start and result).
        var payload = "\"" + new string('a', 300_000) + "\"";
        var id = await TestHost.SubmitAsync(Host.Scheduler, "shout", payload);
        var tasks = await TestHost.AwaitTasksAsync(Host.Scheduler, "alice", t => t.Any(x => x.TaskId == id && x.State.IsFinished()), Wait);

        var task = tasks.Single(t => t.TaskId == id);
        Assert.Equal(TaskState.Succeeded, task.State);
        Assert.Equal("\"" + new string('A', 300_000) + "\"", task.Result);
    }

    [Fact]
    public void A_hub_on_a_system_whose_frame_cannot_hold_a_payload_refuses_to_start_naming_the_setting()
    {
        var node = BareNode();

        var error = Assert.Throws<InvalidOperationException>(() => Hub("small-frame").StartInCluster(node));

        Assert.StartsWith("worker hub \"small-frame\": akka.remote.dot-netty.tcp.maximum-frame-size is 128,000 bytes, but a Lighthouse message " +
                          "carries a payload of up to 1,048,576 bytes (lighthouse.scheduler.max-payload-bytes): set it to at least 1,114,112 bytes", error.Message);
    }

    [Fact]
    public async Task A_hub_on_a_system_that_joins_no_cluster_says_why_it_cannot_register()
    {
        var node = BareNode(extra: "remote.dot-netty.tcp.maximum-frame-size = 4MiB", seeded: false);
        var warnings = WorkerNodes.Warnings(node);
        var hub = WorkerHub.Create(o =>
        {
            o.NodeName = "lonely";
            o.AddBuiltInHandlers();
            o.RegistrationRetryMin = TimeSpan.FromMilliseconds(200);
            o.RegistrationRetryMax = TimeSpan.FromSeconds(1);
        });

        hub.StartInCluster(node);

        var warning = (await Eventually.Until(() => Task.FromResult(WorkerNodes.Containing(warnings, "worker node lonely")), w => w.Length > 0, Wait,
            "the worker's warning that it cannot register"))[0];
        Assert.Contains("is not registered with a scheduler after", warning);
        Assert.Contains("akka.cluster.seed-nodes is empty and nothing called Cluster.Join", warning);
        Assert.DoesNotContain(Cluster.Get(node).State.Members, m => m.Address == Cluster.Get(node).SelfAddress);
    }
}
