using Akka.Configuration;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>Weighted fair share and quotas per user (docs/task-policies.md, "Per user"), at the state level.</summary>
public sealed class UserPolicyTests
{
    private static SchedulerSettings With(params (string User, decimal? Weight, int? MaxRunning)[] users) => SchedulerSettings.Default with
    {
        Users = users.ToDictionary(u => u.User, u => new UserPolicySetting(u.Weight, u.MaxRunning), StringComparer.Ordinal),
    };

    private static Dictionary<string, int> RunningPerUser(StateHarness h) =>
        h.State.RunningTasks().GroupBy(t => t.UserId).ToDictionary(g => g.Key, g => g.Count());

    private static UserPolicySet Set(StateHarness h, SetUserPolicy change) => Assert.IsType<UserPolicySet>(h.Do(h.State.DecideUserPolicy(change, h.Now)));

    private static string Refused(StateHarness h, SetUserPolicy change) =>
        Assert.IsType<UserPolicyRejected>(h.Do(h.State.DecideUserPolicy(change, h.Now))).Reason;

    [Fact]
    public void Weights_three_to_one_split_eight_slots_six_to_two_under_backlog()
    {
        var h = new StateHarness(With(("alice", 3, null), ("bob", 1, null)));
        h.Register("n", slots: 8);
        for (var i = 0; i < 20; i++)
        {
            h.Submit("bob");
            h.Submit("alice");
        }

        h.Dispatch();

        Assert.Equal(new Dictionary<string, int> { ["alice"] = 6, ["bob"] = 2 }, RunningPerUser(h));
    }

    [Fact]
    public void The_split_holds_as_tasks_end_one_at_a_time()
    {
        var h = new StateHarness(With(("alice", 3, null), ("bob", 1, null)));
        h.Register("n", slots: 8);
        for (var i = 0; i < 40; i++)
        {
            h.Submit("alice");
            h.Submit("bob");
        }
        h.Dispatch();

        for (var round = 0; round < 16; round++)
        {
            // Whichever task ended, the freed slot goes back to whoever is furthest below its share.
            var oldest = h.State.RunningTasks().First();
            h.Succeed(oldest.Id);
            h.Dispatch();
            Assert.Equal(new Dictionary<string, int> { ["alice"] = 6, ["bob"] = 2 }, RunningPerUser(h));
        }
    }

    [Fact]
    public void Fractional_weights_compare_exactly()
    {
        // 0.5 and 1.5: 1:3, so on 4 slots bob runs 3; equal shares tie on the wait as before.
        var h = new StateHarness(With(("alice", 0.5m, null), ("bob", 1.5m, null)));
        h.Register("n", slots: 4);
        for (var i = 0; i < 10; i++)
        {
            h.Submit("alice");
            h.Submit("bob");
        }

        h.Dispatch();

        Assert.Equal(new Dictionary<string, int> { ["alice"] = 1, ["bob"] = 3 }, RunningPerUser(h));
    }

    [Fact]
    public void A_user_at_its_quota_waits_saying_so_while_other_users_tasks_go_by()
    {
        var h = new StateHarness(With(("alice", 3, 4)));
        h.Register("n", slots: 8);
        var alice = Enumerable.Range(0, 10).Select(_ => h.Submit("alice")).ToList();
        var bob = Enumerable.Range(0, 10).Select(_ => h.Submit("bob")).ToList();

        h.Dispatch();

        Assert.Equal(new Dictionary<string, int> { ["alice"] = 4, ["bob"] = 4 }, RunningPerUser(h));
        Assert.Equal("user alice is at its quota of 4 running tasks", h.Status(alice[9]).PendingReason);
        Assert.Equal(4, h.State.Queues.AtQuota("alice"));

        // One of alice's tasks ends: she gets exactly that slot back (bob's would have gone to him).
        h.Succeed(h.State.RunningTasks().First(t => t.UserId == "alice").Id);
        h.Dispatch();
        Assert.Equal(new Dictionary<string, int> { ["alice"] = 4, ["bob"] = 4 }, RunningPerUser(h));
        Assert.Equal(TaskState.Running, h.Status(alice[4]).State);
        _ = bob;
    }

    [Fact]
    public void A_quota_leaves_slots_free_rather_than_exceed_it()
    {
        var h = new StateHarness(SchedulerSettings.Default with { DefaultMaxRunning = 2 });
        h.Register("n", slots: 8);
        for (var i = 0; i < 5; i++) h.Submit("alice");

        h.Dispatch();

        Assert.Equal(2, h.State.Queues.Running);
        Assert.Equal(3, h.State.Queues.Queued);
        Assert.Equal(1, h.State.QuotaWaits);
    }

    [Fact]
    public void An_admin_change_takes_effect_at_once_and_a_reset_brings_back_the_configured_value()
    {
        var h = new StateHarness(With(("alice", 3, null)));
        h.Register("n", slots: 4);
        for (var i = 0; i < 10; i++)
        {
            h.Submit("alice");
            h.Submit("bob");
        }
        h.Dispatch();
        Assert.Equal(new Dictionary<string, int> { ["alice"] = 3, ["bob"] = 1 }, RunningPerUser(h));

        // A quota of 1 for alice: the slots her tasks free go to bob.
        var set = Set(h, new SetUserPolicy("alice", MaxRunning: 1));
        Assert.Equal(new UserPolicyView("alice", 3, 1, SetAtRuntime: true), set.User);
        foreach (var task in h.State.RunningTasks().Where(t => t.UserId == "alice").ToList()) h.Succeed(task.Id);
        h.Dispatch();
        Assert.Equal(new Dictionary<string, int> { ["alice"] = 1, ["bob"] = 3 }, RunningPerUser(h));

        var reset = Set(h, new SetUserPolicy("alice", ResetMaxRunning: true));
        Assert.Equal(new UserPolicyView("alice", 3, null, SetAtRuntime: false), reset.User);
        Assert.Null(h.State.Queues.AtQuota("alice"));
        Assert.Equal([new UserPolicyView("alice", 3, null, false)], h.State.UserPoliciesView().Users);
    }

    [Fact]
    public void A_weight_change_moves_the_split_as_slots_free()
    {
        var h = new StateHarness();
        h.Register("n", slots: 4);
        for (var i = 0; i < 10; i++)
        {
            h.Submit("alice");
            h.Submit("bob");
        }
        h.Dispatch();
        Assert.Equal(new Dictionary<string, int> { ["alice"] = 2, ["bob"] = 2 }, RunningPerUser(h));

        Assert.Equal(new UserPolicyView("bob", 3, null, true), Set(h, new SetUserPolicy("bob", Weight: 3)).User);
        foreach (var task in h.State.RunningTasks().ToList()) h.Succeed(task.Id);
        h.Dispatch();

        Assert.Equal(new Dictionary<string, int> { ["alice"] = 1, ["bob"] = 3 }, RunningPerUser(h));
    }

    [Fact]
    public void A_change_that_changes_nothing_writes_nothing()
    {
        var h = new StateHarness(With(("alice", 3, null)));
        Set(h, new SetUserPolicy("alice", Weight: 2));

        var again = h.State.DecideUserPolicy(new SetUserPolicy("alice", Weight: 2), h.Now);
        var resetNothing = h.State.DecideUserPolicy(new SetUserPolicy("bob", ResetWeight: true), h.Now);

        Assert.Empty(again.Events);
        Assert.Empty(resetNothing.Events);
        Assert.IsType<UserPolicySet>(again.Reply);
    }

    [Theory]
    [InlineData(0, "weight 0 is out of range")]
    [InlineData(0.001, "weight 0.001 is out of range")]
    [InlineData(1.234, "weight 1.234 has more than two decimals")]
    [InlineData(1000.01, "weight 1000.01 is out of range")]
    [InlineData(-1, "weight -1 is out of range")]
    public void A_weight_out_of_its_rules_is_refused_naming_the_field(double weight, string expected)
    {
        var h = new StateHarness();
        Assert.StartsWith(expected, Refused(h, new SetUserPolicy("alice", Weight: (decimal)weight)));
        Assert.Empty(h.State.Policies.Runtime);
    }

    [Fact]
    public void Other_bad_changes_are_refused_naming_the_field()
    {
        var h = new StateHarness();
        Assert.StartsWith("max_running -1 is out of range", Refused(h, new SetUserPolicy("alice", MaxRunning: -1)));
        Assert.StartsWith("max_running 1000001 is out of range", Refused(h, new SetUserPolicy("alice", MaxRunning: 1_000_001)));
        Assert.Equal("user_id is empty", Refused(h, new SetUserPolicy(" ", Weight: 2)));
        Assert.Contains("over the limit of 200", Refused(h, new SetUserPolicy(new string('u', 201), Weight: 2)));
        Assert.Contains("control character", Refused(h, new SetUserPolicy("al\nice", Weight: 2)));
        Assert.StartsWith("weight: a value and a reset", Refused(h, new SetUserPolicy("alice", Weight: 2, ResetWeight: true)));
        Assert.StartsWith("max_running: a value and a reset", Refused(h, new SetUserPolicy("alice", MaxRunning: 2, ResetMaxRunning: true)));
        Assert.Empty(h.State.Policies.Runtime);
    }

    [Fact]
    public void No_more_users_than_the_limit_get_a_policy_of_their_own()
    {
        var h = new StateHarness();
        for (var i = 0; i < UserPolicyRules.MaxUsers; i++) h.State.Apply(new UserPolicyChanged($"u{i}", 2, null, h.Now));

        Assert.Contains("10000 users already have a policy of their own", Refused(h, new SetUserPolicy("one-more", Weight: 2)));
        // Changing one that has a policy, or resetting, still works.
        Set(h, new SetUserPolicy("u1", Weight: 3));
        Set(h, new SetUserPolicy("u2", ResetWeight: true));
        Set(h, new SetUserPolicy("one-more", Weight: 2));
    }

    [Fact]
    public void No_quota_at_runtime_lifts_a_default_quota()
    {
        var h = new StateHarness(SchedulerSettings.Default with { DefaultMaxRunning = 1 });
        h.Register("n", slots: 3);
        for (var i = 0; i < 3; i++) h.Submit("alice");
        h.Dispatch();
        Assert.Equal(1, h.State.Queues.Running);

        Assert.Equal(new UserPolicyView("alice", 1, null, true), Set(h, new SetUserPolicy("alice", MaxRunning: SetUserPolicy.NoQuota)).User);
        h.Dispatch();

        Assert.Equal(3, h.State.Queues.Running);
    }

    [Fact]
    public void The_configuration_gives_defaults_and_users()
    {
        var settings = SchedulerSettings.FromConfig(ConfigurationFactory.ParseString("""
            lighthouse.scheduler {
              default-user-weight = 0.5
              default-max-running = 10
              users {
                alice { weight = 3, max-running = 4 }
                "bob.smith" { max-running = off }
              }
            }
            """));

        Assert.Equal(0.5m, settings.DefaultUserWeight);
        Assert.Equal(10, settings.DefaultMaxRunning);
        Assert.Equal(new UserPolicySetting(3, 4), settings.Users["alice"]);
        Assert.Equal(new UserPolicySetting(null, SetUserPolicy.NoQuota), settings.Users["bob.smith"]);
        var policies = new SchedulerState(settings).UserPoliciesView();
        Assert.Equal([new UserPolicyView("alice", 3, 4, false), new UserPolicyView("bob.smith", 0.5m, null, false)], policies.Users);
    }

    [Theory]
    [InlineData("default-user-weight = 0", "lighthouse.scheduler.default-user-weight = \"0\" is invalid: the weight 0 is out of range")]
    [InlineData("default-user-weight = lots", "lighthouse.scheduler.default-user-weight = \"lots\" is invalid: a weight is a number")]
    [InlineData("default-max-running = 0", "lighthouse.scheduler.default-max-running = \"0\" is invalid: a quota is a whole number")]
    [InlineData("users { alice { weight = 1.234 } }", "lighthouse.scheduler.users.alice.weight = \"1.234\" is invalid: the weight 1.234 has more than two decimals")]
    [InlineData("users { alice { max-running = -2 } }", "lighthouse.scheduler.users.alice.max-running = \"-2\" is invalid")]
    [InlineData("users { alice { wieght = 2 } }", "lighthouse.scheduler.users.alice.wieght = \"2\" is invalid: a user has only weight and max-running")]
    [InlineData("users { alice = 3 }", "lighthouse.scheduler.users.alice = \"3\" is invalid: each user is an object")]
    public void Bad_configuration_is_refused_naming_the_key(string body, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => SchedulerSettings.FromConfig(ConfigurationFactory.ParseString($"lighthouse.scheduler {{\n{body}\n}}")));
        Assert.StartsWith(expected, e.Message);
    }
}
