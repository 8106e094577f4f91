namespace Lighthouse.Scheduling;

/// <summary>
/// What the fair queues need to know of a user's policy (docs/task-policies.md, "Per user"): its weight in hundredths
/// (1.00 is 100, so weights compare exactly as integers) and its quota of running tasks (0: none).
/// </summary>
internal readonly record struct UserLimits(int Weight, int MaxRunning)
{
    /// <summary>Weight 1.00.</summary>
    public const int DefaultWeight = 100;

    /// <summary>Weight 1, no quota: every user's limits before weights and quotas existed.</summary>
    public static UserLimits Default { get; } = new(DefaultWeight, 0);
}
