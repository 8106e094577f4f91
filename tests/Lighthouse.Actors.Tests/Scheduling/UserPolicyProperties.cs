using FsCheck.Xunit;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// Over random submits, starts, ends, node changes and admin changes of weights and quotas: no task ever starts for a user
/// at its quota, and every task offered to the engine comes from the user with the lowest running ÷ weight among users with
/// a startable task (ties: longest waiting, then user id), as a brute-force scan of every queued task says.
/// </summary>
public sealed class UserPolicyProperties
{
    private static readonly decimal[] Weights = [0.01m, 0.5m, 1, 1.5m, 3, 7.25m, 1000];
    private static readonly int[] Quotas = [SetUserPolicy.NoQuota, 1, 2, 3, 5];

    [Property(MaxTest = 300, EndSize = 400)]
    public void No_start_for_a_user_at_its_quota_and_every_choice_is_the_fairest_by_weight(int[] steps)
    {
        var h = new StateHarness(SchedulerSettings.Default with
        {
            QueueCapPerUser = 30,
            DefaultMaxRunning = 4,
            Users = new Dictionary<string, UserPolicySetting>(StringComparer.Ordinal) { ["u0"] = new(3, null), ["u1"] = new(null, 2) },
        });
        var nodesMade = 0;
        foreach (var step in steps)
        {
            var x = step & int.MaxValue;
            var arg = x / 7;
            switch (x % 7)
            {
                case 0:
                case 1:
                    h.Submit(new SubmitTask(arg % 5 == 0 ? "resize" : "echo", "{}", $"u{arg % 4}", Priority: arg % 2,
                        Requirements: new Dictionary<string, double> { ["cpu"] = arg % 3 == 0 ? 3 : 1 }));
                    break;
                case 2:
                    DispatchChecked(h);
                    break;
                case 3:
                    var running = h.State.RunningTasks().ToList();
                    if (running.Count > 0) h.Succeed(running[arg % running.Count].Id);
                    break;
                case 4:
                    var change = (arg % 5) switch
                    {
                        0 => new SetUserPolicy($"u{arg % 4}", Weight: Weights[arg / 5 % Weights.Length]),
                        1 => new SetUserPolicy($"u{arg % 4}", MaxRunning: Quotas[arg / 5 % Quotas.Length]),
                        2 => new SetUserPolicy($"u{arg % 4}", ResetWeight: true, ResetMaxRunning: true),
                        _ => new SetUserPolicy($"u{arg % 4}", Weight: Weights[arg / 7 % Weights.Length], MaxRunning: Quotas[arg / 3 % Quotas.Length]),
                    };
                    Assert.IsType<UserPolicySet>(h.Do(h.State.DecideUserPolicy(change, h.Now)));
                    break;
                case 5:
                    h.Register($"n{nodesMade++}", slots: 1 + arg % 4, tasks: arg % 2 == 0 ? ["echo", "resize"] : ["echo"], resources: ("cpu", 2 + arg % 4));
                    break;
                case 6:
                    if (h.State.Nodes.All.Select(n => n.Name).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } nodes) h.Lose(nodes[arg % nodes.Count]);
                    break;
            }
            Assert.Same(BruteForceNext(h), h.State.Queues.NextCandidate());
        }
    }

    /// <summary>Dispatch as <see cref="StateHarness.Dispatch"/> does, checking each task offered before it may start.</summary>
    private static void DispatchChecked(StateHarness h)
    {
        for (var guard = 0; h.State.NextPlacement() is { } request; guard++)
        {
            Assert.True(guard < 10_000, "dispatch did not settle");
            var task = h.State.Tasks.Find(request.TaskId)!;
            Assert.Same(BruteForceNext(h), task);
            var quota = h.State.Policies.LimitsOf(task.UserId).MaxRunning;
            var running = h.State.RunningTasks().Count(t => t.UserId == task.UserId);
            Assert.True(quota == 0 || running < quota, $"{task.Id} of {task.UserId} offered with {running} running on a quota of {quota}");
            h.Apply(h.Placer.Settle(h.State, h.Placer.Place(request), h.Now));
        }
    }

    /// <summary>
    /// The rule by definition: among users with a queued task whose shape is not blocked and fewer running tasks than their quota, the
    /// lowest running ÷ weight (compared exactly), then longest waiting, then lowest id; that user's first such task.
    /// </summary>
    private static TaskRecord? BruteForceNext(StateHarness h)
    {
        var users = h.State.Queues.Users.ToDictionary(u => u.UserId);
        var running = h.State.RunningTasks().GroupBy(t => t.UserId).ToDictionary(g => g.Key, g => g.Count());
        var startable = h.State.Queues.QueuedTasks
            .Where(t => !h.State.Shapes.IsBlocked(t.Shape))
            .Where(t => h.State.Policies.LimitsOf(t.UserId).MaxRunning is var quota && (quota == 0 || running.GetValueOrDefault(t.UserId) < quota))
            .ToList();
        if (startable.Count == 0) return null;
        var fairest = startable.Select(t => t.UserId).Distinct()
            .OrderBy(u => u, Comparer<string>.Create((a, b) =>
            {
                var c = ((decimal)running.GetValueOrDefault(a) / h.State.Policies.Effective(a).Weight)
                    .CompareTo((decimal)running.GetValueOrDefault(b) / h.State.Policies.Effective(b).Weight);
                return c != 0 ? c : users[a].WaitingSince.CompareTo(users[b].WaitingSince);
            }))
            .ThenBy(u => u, StringComparer.Ordinal)
            .First();
        return startable.Where(t => t.UserId == fairest)
            .OrderByDescending(t => t.Priority).ThenBy(t => t.Requeued ? 0 : 1).ThenBy(t => t.Sequence).First();
    }
}
