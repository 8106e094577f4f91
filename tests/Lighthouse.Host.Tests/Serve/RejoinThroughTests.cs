using Akka.Actor;
using Lighthouse.Host.Serve;

namespace Lighthouse.Host.Tests.Serve;

/// <summary>Whom a host the cluster removed joins again through: never itself, which could start a second cluster.</summary>
public sealed class RejoinThroughTests
{
    private static readonly Address Self = Address.Parse("akka.tcp://lighthouse@127.0.0.1:4053");
    private static readonly Address Second = Address.Parse("akka.tcp://lighthouse@127.0.0.1:4054");
    private static readonly Address Third = Address.Parse("akka.tcp://lighthouse@127.0.0.1:4055");

    [Fact]
    public void A_host_that_is_the_first_of_its_own_seeds_rejoins_through_the_others_only()
    {
        var through = LighthouseHost.RejoinThrough([Self.ToString(), Second.ToString(), Third.ToString()], Self, []);
        Assert.Equal([Second.ToString(), Third.ToString()], through);
    }

    [Fact]
    public void A_host_without_seeds_rejoins_through_the_hosts_it_saw_each_once()
    {
        var through = LighthouseHost.RejoinThrough([], Self, [Third, Second, Self]);
        Assert.Equal([Second.ToString(), Third.ToString()], through);
        Assert.Equal([Second.ToString(), Third.ToString()], LighthouseHost.RejoinThrough([Second.ToString()], Self, [Third, Second]));
    }

    [Fact]
    public void A_host_that_knew_only_itself_has_nobody_to_rejoin_through()
    {
        Assert.Empty(LighthouseHost.RejoinThrough([Self.ToString()], Self, [Self]));
        Assert.Empty(LighthouseHost.RejoinThrough([], Self, []));
    }
}
