using Lighthouse.Client;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;

namespace Lighthouse.IntegrationTests.EndToEnd;

/// <summary>
/// Weighted fair share with real processes: an admin sets alice's weight to 3 through the command line, alice and bob each queue
/// more <c>sleep</c> tasks than fit, and a worker with 8 slots comes: alice runs 6 and bob 2.
/// </summary>
public sealed class FairShareTests
{
    [Fact]
    public async Task Weights_three_to_one_give_a_six_to_two_split_of_eight_slots_under_backlog()
    {
        await using var host = await HostProcess.StartAsync();
        var set = await CliProcess.RunAsync("users", "set", "alice", "--weight", "3", "--host", host.Address);
        Assert.True(set.ExitCode == 0, $"{set.Command}: exit {set.ExitCode}\n{set.Stderr}");
        await using var client = await LighthouseClient.ConnectAsync(host.Address);
        // Queued before any slot exists, so the split is the fair order's alone, not the order of submission.
        for (var i = 0; i < 12; i++)
        {
            await client.SubmitAsync("sleep", "{\"ms\": 60000}", "bob");
            await client.SubmitAsync("sleep", "{\"ms\": 60000}", "alice");
        }

        await using var worker = await WorkerProcess.StartAsync(host.Port, "w8", slots: 8);
        await Eventually.Holds(async () => (await client.GetQueuesAsync()).Running == 8, "8 sleep tasks run");

        var queues = await client.GetQueuesAsync();
        Assert.Equal(
            [("alice", 6, 6), ("bob", 2, 10)],
            queues.Users.OrderBy(u => u.UserId, StringComparer.Ordinal).Select(u => (u.UserId, u.Running, u.Queued)));
        var waiting = (await client.ListAsync("bob")).First(t => t.State == TaskState.Queued);
        Assert.StartsWith("waiting for a free slot", waiting.PendingReason);
    }
}
