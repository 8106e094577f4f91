using Lighthouse.Protocol;

namespace Lighthouse.Host.Web.Monitor;

/// <summary>
/// The tasks waiting for a policy (docs/task-policies.md), as the monitor shows them: the scheduler's counts of delayed,
/// retrying, dependency-waiting and key-waiting tasks (over every task), and at most <see cref="MaxListed"/> of them with their
/// pending reasons. The scheduler lists the first of each kind (soonest due, or oldest); they are taken in turns, kind by kind,
/// so a kind with few tasks is not hidden behind a kind with many.
/// </summary>
public sealed record PolicyWaiting(int Delayed, int Retrying, int Dependencies, int ConcurrencyKey, IReadOnlyList<PolicyWaitingTask> Tasks)
{
    /// <summary>How many tasks the overview lists at most (and asks the scheduler for, of each kind).</summary>
    public const int MaxListed = 20;

    public static PolicyWaiting None { get; } = new(0, 0, 0, 0, []);

    /// <summary>Null figures (a scheduler that does not give them) show as nothing waiting.</summary>
    public static PolicyWaiting Of(PolicyStatistics? policies)
    {
        if (policies is null) return None;
        var kinds = policies.Waiting.GroupBy(t => t.Kind).OrderBy(g => g.Key).Select(g => new Queue<PolicyWaitingTask>(g)).ToList();
        var listed = new List<PolicyWaitingTask>(MaxListed);
        while (listed.Count < MaxListed && kinds.Any(k => k.Count > 0))
        {
            foreach (var kind in kinds)
            {
                if (listed.Count < MaxListed && kind.Count > 0) listed.Add(kind.Dequeue());
            }
        }
        // Shown kind by kind, each in the scheduler's order.
        var order = policies.Waiting.Select((task, index) => (task, index)).ToDictionary(p => p.task, p => p.index);
        listed.Sort((a, b) => order[a].CompareTo(order[b]));
        return new PolicyWaiting(policies.Delayed, policies.Retrying, policies.WaitingForDependencies, policies.WaitingForKey, listed);
    }
}
