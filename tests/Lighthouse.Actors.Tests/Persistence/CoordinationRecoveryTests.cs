using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// A scheduler restarted on its SQLite journal (replayed, or from a snapshot and the events after it) in the middle of a full
/// concurrency key and of a dependency chain: the key's running tasks, waiters (in order) and runtime limit come back,
/// nothing starts over the limit or before its parents, and the chain goes on (or is cancelled) from where it was.
/// </summary>
public sealed class CoordinationRecoveryTests(ITestOutputHelper output) : DurableSchedulerKit(output)
{
    private static readonly SchedulerSettings Settings = SchedulerSettings.Default with { ConcurrencyLimits = new Dictionary<string, int> { ["db"] = 2 } };

    private static string Keyed(Generation g, string key = "db") =>
        Assert.IsType<SubmissionAccepted>(g.Ask(new SubmitTask("echo", "{}", "alice") { ConcurrencyKey = key })).TaskId;

    private static string Child(Generation g, params string[] after) =>
        Assert.IsType<SubmissionAccepted>(g.Ask(new SubmitTask("echo", "{}", "alice") { After = after })).TaskId;

    private static ConcurrencyKeyView Db(Generation g) =>
        Assert.IsType<ConcurrencyLimitsView>(g.Ask(GetConcurrencyLimits.Instance)).Keys.Single(k => k.Key == "db");

    [Theory]
    [InlineData(10_000)]
    [InlineData(4)]
    public void A_full_key_comes_back_full_with_its_runtime_limit_and_its_waiters_in_order(int snapshotEvery)
    {
        var first = Start(Durability(snapshotEvery), Settings);
        var w1 = first.Worker("w1", slots: 8);
        var ids = Enumerable.Range(0, 6).Select(_ => Keyed(first)).ToList();
        Assert.Equal(ids[..2], [w1.ExpectMsg<StartTask>(Wait).TaskId, w1.ExpectMsg<StartTask>(Wait).TaskId]);
        // Raised at runtime: the head waiter holds the new slot at once (queued), journaled with the limit.
        Assert.Equal(new ConcurrencyKeyView("db", 3, 2, 3, 2, 1, 3), Assert.IsType<ConcurrencyLimitSet>(first.Ask(new SetConcurrencyLimit("db", 3))).Key);
        Assert.Equal(ids[2], w1.ExpectMsg<StartTask>(Wait).TaskId);
        first.AwaitListed("alice", ids[2], t => t.State == TaskState.Running);
        Stop(first);

        var second = Start(Durability(snapshotEvery), Settings);
        Assert.Equal(new ConcurrencyKeyView("db", 3, 2, 3, 3, 0, 3), Db(second));
        Assert.Equal("waiting for concurrency key db (3 of 3 running)", second.Listed("alice", ids[3]).PendingReason);
        // The worker comes back with its three tasks: the key is full, nothing else starts.
        var back = second.Worker("w1", slots: 8, ids[0], ids[1], ids[2]);
        Assert.Equal(new ConcurrencyKeyView("db", 3, 2, 3, 3, 0, 3), Db(second));
        Assert.All(ids[3..], id => Assert.Equal(TaskState.Queued, second.Listed("alice", id).State));

        back.Reply(new ReportSuccess(ids[1], "{}"));
        Assert.Equal(ids[3], back.ExpectMsg<StartTask>(Wait).TaskId);
        second.AwaitListed("alice", ids[3], t => t.State == TaskState.Running);
        Assert.Equal(new ConcurrencyKeyView("db", 3, 2, 3, 3, 0, 2), Db(second));
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(3)]
    public void A_dependency_chain_resumes_where_it_was_and_its_failure_cancels_the_rest(int snapshotEvery)
    {
        var first = Start(Durability(snapshotEvery), Settings);
        var w1 = first.Worker("w1", slots: 4);
        var a = first.Submit();
        var b = Child(first, a);
        var c = Child(first, b);
        Assert.Equal(a, w1.ExpectMsg<StartTask>(Wait).TaskId);
        Stop(first);

        var second = Start(Durability(snapshotEvery), Settings);
        Assert.Equal($"waiting for {a}", second.Listed("alice", b).PendingReason);
        Assert.Equal($"waiting for {b}", second.Listed("alice", c).PendingReason);
        var back = second.Worker("w1", slots: 4, a);
        Assert.Equal(TaskState.Queued, second.Listed("alice", b).State);

        back.Reply(new ReportSuccess(a, "{}"));
        Assert.Equal(b, back.ExpectMsg<StartTask>(Wait).TaskId);
        Assert.Equal(TaskState.Queued, second.Listed("alice", c).State);
        back.Reply(new ReportFailure(b, "boom"));
        second.AwaitListed("alice", c, t => t.State == TaskState.Cancelled);
        Assert.Equal($"dependency {b} failed", second.Listed("alice", c).Error);
    }
}
