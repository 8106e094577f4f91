using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;
using Xunit.Abstractions;

namespace Lighthouse.IntegrationTests.Serve;

/// <summary>Two hosts in one cluster: the scheduler singleton runs on the oldest, and moves when that one leaves on SIGTERM.</summary>
public sealed class SingletonHandOverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_second_host_joins_through_its_seed_and_takes_the_scheduler_over_when_the_first_leaves()
    {
        // In memory: a host on SQLite (the default) refuses to join another (HostConfigurationTests).
        using var memory = new TempFile("lighthouse.persistence.provider = none");
        await using var cluster = new LocalCluster();
        var first = await cluster.StartHostAsync(arguments: ["--config", memory.Path]);
        var second = await cluster.StartHostAsync(arguments: ["--config", memory.Path], environment: new Dictionary<string, string> { ["LIGHTHOUSE_SEEDS"] = first.Address });
        var up = HostProcess.UpLinePattern().Match(second.UpLine!.Text);
        Assert.Equal(first.AkkaAddress, up.Groups["singleton"].Value);

        // A client of the second host reaches the scheduler on the first through the singleton proxy.
        var client = await cluster.ConnectAsync(second);
        Assert.Equal(TaskState.Queued, (await client.GetAsync(await client.SubmitAsync("echo", "1", "alice"))).State);

        first.Signal(ManagedProcess.SigTerm);
        var left = DateTimeOffset.UtcNow;
        Assert.Equal(0, await first.WaitForExitAsync(Limit));

        // The singleton starts again on the second host (without persistence it starts empty) and answers there.
        var after = await Eventually.Until(async () =>
        {
            try
            {
                return await client.SubmitAsync("echo", "2", "alice");
            }
            catch (Exception e) when (e is Client.LighthouseUnavailableException or TimeoutException)
            {
                return null;
            }
        }, id => id is not null, Limit, "a submission accepted after the hand-over");
        output.WriteLine($"SIGTERM of the first host -> scheduler answering on the second: {(DateTimeOffset.UtcNow - left).TotalMilliseconds:0} ms");
        Assert.Equal(TaskState.Queued, (await client.GetAsync(after!)).State);
        Assert.Contains(second.Log.Stdout, line => line.Contains("Singleton manager started singleton actor", StringComparison.Ordinal));
    }
}
