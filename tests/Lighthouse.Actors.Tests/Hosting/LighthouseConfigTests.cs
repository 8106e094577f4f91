using Akka.Actor;
using Akka.Configuration;
using Lighthouse.Hosting;
using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Hosting;

/// <summary>The library's own configuration: its reference defaults, and readying an ActorSystem built without them.</summary>
public sealed class LighthouseConfigTests
{
    [Fact]
    public void The_reference_holds_the_scheduler_defaults_a_frame_for_the_payload_cap_and_the_serializer_bindings()
    {
        var defaults = LighthouseConfig.Defaults;

        Assert.Equal(SchedulerSettings.Default, SchedulerSettings.FromConfig(LighthouseConfig.Reference));
        // A configuration that already falls back to the reference, as every host's does.
        var host = ConfigurationFactory.ParseString("lighthouse.scheduler.queue-cap-per-user = 7").WithFallback(LighthouseScheduler.RequiredConfig);
        Assert.Equal(SchedulerSettings.Default with { QueueCapPerUser = 7 }, SchedulerSettings.FromConfig(host));
        Assert.Equal(4L * 1024 * 1024, defaults.GetByteSize(LighthouseConfig.FrameSizeKey));
        Assert.Equal(LighthouseSerialization.SerializerName,
            defaults.GetString($"akka.actor.serialization-bindings.\"{typeof(SubmitTask).FullName}, Lighthouse.Actors\""));
        Assert.Null(LighthouseConfig.FrameSizeProblem(defaults.WithFallback(ConfigurationFactory.ParseString("akka.actor.provider = cluster"))));
    }

    [Fact]
    public void A_remote_frame_below_the_payload_cap_is_named_with_the_size_it_needs()
    {
        var config = ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp.maximum-frame-size = 256KiB
            lighthouse.scheduler.max-payload-bytes = 200000
            """);

        Assert.Null(LighthouseConfig.FrameSizeProblem(ConfigurationFactory.ParseString("akka.actor.provider = local")));
        Assert.StartsWith("akka.remote.dot-netty.tcp.maximum-frame-size is 262,144 bytes, but a Lighthouse message carries a payload of up to " +
                          "200,000 bytes (lighthouse.scheduler.max-payload-bytes): set it to at least 265,536 bytes", LighthouseConfig.FrameSizeProblem(config));
    }

    [Fact]
    public void The_proxy_identification_interval_is_read_and_a_bad_one_is_named()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(200), LighthouseConfig.IdentificationInterval(Config.Empty));
        Assert.Equal(TimeSpan.FromSeconds(1), LighthouseConfig.IdentificationInterval(ConfigurationFactory.ParseString("lighthouse.cluster.singleton-identification-interval = 1s")));

        var error = Assert.Throws<ConfigurationException>(() =>
            LighthouseConfig.IdentificationInterval(ConfigurationFactory.ParseString("lighthouse.cluster.singleton-identification-interval = -1s")));
        Assert.StartsWith("lighthouse.cluster.singleton-identification-interval = \"-1s\" is invalid", error.Message);
    }

    [Fact]
    public void Scheduler_members_keep_the_receptionist_and_its_pub_sub_mediator_to_their_role()
    {
        Assert.Equal(LighthouseNames.SchedulerRole, LighthouseScheduler.RoleConfig.GetString("akka.cluster.pub-sub.role"));
        Assert.Equal(LighthouseNames.SchedulerRole, LighthouseScheduler.RequiredConfig.GetString("akka.cluster.client.receptionist.role"));
    }

    [Fact]
    public async Task Prepare_binds_the_serializer_on_a_system_configured_without_it_once()
    {
        using var system = ActorSystem.Create("bare", "akka.loglevel = WARNING");
        Assert.IsNotType<LighthouseSerializer>(system.Serialization.FindSerializerForType(typeof(SubmitTask)));

        LighthouseConfig.Prepare(system, "test");
        var bound = system.Serialization.FindSerializerForType(typeof(SubmitTask));
        LighthouseConfig.Prepare(system, "test");

        Assert.IsType<LighthouseSerializer>(bound);
        Assert.Same(bound, system.Serialization.FindSerializerForType(typeof(CancelTask)));
        var submit = new SubmitTask("echo", "{}", "alice");
        var bytes = system.Serialization.Serialize(submit);
        Assert.Equal(submit.TaskName, ((SubmitTask)system.Serialization.Deserialize(bytes, LighthouseSerialization.SerializerId, ((Akka.Serialization.SerializerWithStringManifest)bound).Manifest(submit))).TaskName);
        await system.Terminate();
    }
}
