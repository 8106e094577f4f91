using Akka.Actor;
using Akka.Cluster;
using Lighthouse.Host.Web.Monitor;

namespace Lighthouse.Host.Tests.Web;

/// <summary>The cluster as <c>/api/cluster</c> and the monitor show it, read from a real two-member cluster on loopback.</summary>
public sealed class ClusterViewTests
{
    [Fact]
    public async Task Members_show_their_status_and_roles_and_the_oldest_scheduler_member_runs_the_scheduler()
    {
        var host = ActorSystem.Create(LighthouseNames.ActorSystem, Config("scheduler"));
        var worker = ActorSystem.Create(LighthouseNames.ActorSystem, Config("worker"));
        try
        {
            var hostCluster = Cluster.Get(host);
            hostCluster.Join(hostCluster.SelfAddress);
            await WebHarness.Until(() => Task.FromResult(hostCluster.State.Members.Any(m => m.Status == MemberStatus.Up)), "the host to be up");
            Cluster.Get(worker).Join(hostCluster.SelfAddress);
            await WebHarness.Until(() => Task.FromResult(hostCluster.State.Members.Count(m => m.Status == MemberStatus.Up) == 2), "both members to be up");

            var view = ClusterView.Of(host);
            var fromWorker = ClusterView.Of(worker);

            Assert.True(view.Clustered);
            Assert.Equal(hostCluster.SelfAddress.ToString(), view.SchedulerHost);
            Assert.Equal(view.SchedulerHost, fromWorker.SchedulerHost);
            var scheduler = view.Members.Single(m => m.RunsScheduler);
            Assert.Equal((hostCluster.SelfAddress.ToString(), "up", true, true), (scheduler.Address, scheduler.Status, scheduler.Reachable, scheduler.IsSelf));
            Assert.Equal([LighthouseNames.SchedulerRole], scheduler.Roles);
            var other = view.Members.Single(m => !m.RunsScheduler);
            Assert.Equal((Cluster.Get(worker).SelfAddress.ToString(), "up", false), (other.Address, other.Status, other.IsSelf));
            Assert.Equal([LighthouseNames.WorkerRole], other.Roles);
        }
        finally
        {
            await Task.WhenAll(worker.Terminate(), host.Terminate()).WaitAsync(WebHarness.Wait);
        }
    }

    [Fact]
    public async Task Without_a_cluster_there_is_one_local_member_that_runs_the_scheduler()
    {
        var system = ActorSystem.Create("lighthouse-local");
        try
        {
            var view = ClusterView.Of(system);

            Assert.False(view.Clustered);
            var member = Assert.Single(view.Members);
            Assert.Equal(("akka://lighthouse-local", "up", true, true), (member.Address, member.Status, member.RunsScheduler, member.IsSelf));
            Assert.Equal(member.Address, view.SchedulerHost);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static string Config(string role) => $$"""
        akka.loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.cluster.roles = [{{role}}]
        akka.cluster.min-nr-of-members = 1
        """;
}
