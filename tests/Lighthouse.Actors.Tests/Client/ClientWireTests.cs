using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Cluster.Tools.PublishSubscribe.Serialization;
using Lighthouse.Client;
using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse.Actors.Tests.Client;

/// <summary>What the client's own ActorSystem puts on the wire.</summary>
public sealed class ClientWireTests
{
    [Fact]
    public async Task ClusterClients_wrapper_and_the_request_inside_it_avoid_the_default_json_serializer()
    {
        var system = ActorSystem.Create("wire", ClientActorSystem.Configuration(LighthouseClientOptions.Default));
        try
        {
            var request = new SubmitTask("echo", """{"x": 1}""", "alice", 3, new Dictionary<string, double> { ["cpu"] = 2 }, SubmissionId: "s-1");
            // What ClusterClient forwards to the receptionist for a ClusterClient.Send.
            var wrapped = new Send(LighthouseNames.SchedulerProxyPath, request, localAffinity: true);

            var wrapper = system.Serialization.FindSerializerFor(wrapped);
            var bytes = wrapper.ToBinary(wrapped);
            var manifest = Akka.Serialization.Serialization.ManifestFor(wrapper, wrapped);
            var back = Assert.IsType<Send>(system.Serialization.Deserialize(bytes, wrapper.Identifier, manifest));

            Assert.IsType<DistributedPubSubMessageSerializer>(wrapper);
            Assert.IsType<LighthouseSerializer>(system.Serialization.FindSerializerFor(request));
            var inner = Assert.IsType<SubmitTask>(back.Message);
            Assert.Equal((request.SubmissionId, request.Payload, 2.0), (inner.SubmissionId, inner.Payload, inner.Requirements!["cpu"]));
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task A_batch_of_requests_inside_ClusterClients_wrapper_also_avoids_the_default_json_serializer()
    {
        var system = ActorSystem.Create("wire", ClientActorSystem.Configuration(LighthouseClientOptions.Default));
        try
        {
            var batch = new MessageBatch([new SubmitTask("echo", "[1]", "alice", SubmissionId: "s-1", Watch: true), new WatchTask("t-9", Progress: true)]);
            var wrapped = new Send(LighthouseNames.SchedulerProxyPath, batch, localAffinity: true);

            var wrapper = system.Serialization.FindSerializerFor(wrapped);
            var bytes = wrapper.ToBinary(wrapped);
            var manifest = Akka.Serialization.Serialization.ManifestFor(wrapper, wrapped);
            var back = Assert.IsType<Send>(system.Serialization.Deserialize(bytes, wrapper.Identifier, manifest));

            Assert.IsType<LighthouseSerializer>(system.Serialization.FindSerializerFor(batch));
            var inner = Assert.IsType<MessageBatch>(back.Message);
            Assert.Equal(batch.Messages, inner.Messages);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
