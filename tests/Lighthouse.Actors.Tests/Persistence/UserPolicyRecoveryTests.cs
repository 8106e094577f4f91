using Lighthouse.Persistence;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// Per-user policies set at runtime survive a restart: replaying the journal or restoring a snapshot (each through its stored
/// bytes) gives back the runtime values over the configured ones, a user at its quota stays out of the fair order, and the
/// recovered state starts what the live one starts. A restart with another configuration keeps what an admin set.
/// </summary>
public sealed class UserPolicyRecoveryTests
{
    private static readonly SchedulerSettings Settings = SchedulerSettings.Default with
    {
        Users = new Dictionary<string, UserPolicySetting>(StringComparer.Ordinal) { ["alice"] = new(3, null), ["carol"] = new(2, 1) },
    };

    private static JournaledHarness Scenario()
    {
        var h = new JournaledHarness(Settings, new ManualTimeProvider());
        h.Register("n1", 6, ["echo"]);
        for (var i = 0; i < 8; i++)
        {
            h.Submit("alice");
            h.Submit("bob");
        }
        Assert.IsType<UserPolicySet>(h.Do(h.State.DecideUserPolicy(new SetUserPolicy("alice", MaxRunning: 2), h.Clock.GetUtcNow())));
        Assert.IsType<UserPolicySet>(h.Do(h.State.DecideUserPolicy(new SetUserPolicy("bob", Weight: 0.5m), h.Clock.GetUtcNow())));
        Assert.IsType<UserPolicySet>(h.Do(h.State.DecideUserPolicy(new SetUserPolicy("carol", MaxRunning: SetUserPolicy.NoQuota), h.Clock.GetUtcNow())));
        h.Dispatch();
        return h;
    }

    private static byte[] Stored(SchedulerImage image) => SchedulerJournalSerializer.Encode(new SchedulerSnapshot(image));

    private static object RoundTrip(object item) =>
        SchedulerJournalSerializer.Decode(SchedulerJournalSerializer.Encode(item), PersistenceAkka.Serializer.Manifest(item));

    private static void AssertKept(SchedulerState state)
    {
        Assert.Equal(
            [new UserPolicyView("alice", 3, 2, true), new UserPolicyView("bob", 0.5m, null, true), new UserPolicyView("carol", 2, null, true)],
            state.UserPoliciesView().Users);
        Assert.Equal(2, state.Queues.AtQuota("alice"));
        Assert.Equal("user alice is at its quota of 2 running tasks",
            state.Status(state.Queues.QueuedTasks.First(t => t.UserId == "alice").Id, DateTimeOffset.UnixEpoch)!.PendingReason);
    }

    [Fact]
    public void Replaying_the_journal_keeps_the_runtime_policies()
    {
        var live = Scenario();
        Assert.Contains(live.Journal, e => e is UserPolicyChanged);
        var replayed = new SchedulerState(Settings);

        foreach (var change in live.Journal) replayed.Apply((SchedulerEvent)RoundTrip(change));

        AssertKept(live.State);
        AssertKept(replayed);
        Assert.Equal(Stored(live.State.Capture()), Stored(replayed.Capture()));
    }

    [Fact]
    public void A_snapshot_keeps_them_under_its_own_manifest_and_decides_as_the_live_state()
    {
        var live = Scenario();
        var snapshot = new SchedulerSnapshot(live.State.Capture());
        Assert.Equal("S2", PersistenceAkka.Serializer.Manifest(snapshot));

        var read = Assert.IsType<SchedulerSnapshot>(RoundTrip(snapshot));
        var restored = new JournaledHarness(Settings, new ManualTimeProvider(live.Clock.GetUtcNow()), SchedulerState.Restore(Settings, read.Image));

        AssertKept(restored.State);
        Assert.Equal(Stored(live.State.Capture()), Stored(restored.State.Capture()));
        foreach (var h in new[] { live, restored })
        {
            h.Starts.Clear();
            foreach (var id in h.RunningTasks.Take(3)) h.Report(new ReportSuccess(id, "{}"));
            h.Dispatch();
        }
        Assert.NotEmpty(live.Starts);
        Assert.Equal(live.Starts, restored.Starts);
    }

    [Fact]
    public void A_snapshot_without_user_policies_is_stored_as_before()
    {
        var h = new JournaledHarness(Settings, new ManualTimeProvider());
        h.Submit("alice");

        Assert.Equal("SS", PersistenceAkka.Serializer.Manifest(new SchedulerSnapshot(h.State.Capture())));
    }

    [Fact]
    public void A_restart_with_another_configuration_keeps_what_an_admin_set_and_takes_the_rest_from_the_new_one()
    {
        var live = Scenario();
        var other = SchedulerSettings.Default with
        {
            DefaultUserWeight = 2,
            Users = new Dictionary<string, UserPolicySetting>(StringComparer.Ordinal) { ["alice"] = new(5, 9) },
        };

        var restored = SchedulerState.Restore(other, live.State.Capture());

        // alice: the weight from the new file, the quota an admin set; bob: the admin's weight; carol: the admin's "no quota", the new default weight.
        Assert.Equal(
            [new UserPolicyView("alice", 5, 2, true), new UserPolicyView("bob", 0.5m, null, true), new UserPolicyView("carol", 2, null, true)],
            restored.UserPoliciesView().Users);
    }
}
