namespace Lighthouse.Protocol;

// The per-user policies (docs/task-policies.md, "Per user: weighted fair share and quotas"): each user's weight in the
// fair share and its quota of running tasks. Read and changed by admins only (docs/authorization.md); a change is
// journaled, so it survives restarts and fail-over.

/// <summary>Asks for the per-user policies. Answered by <see cref="UserPoliciesView"/>. Admin only.</summary>
public sealed record GetUserPolicies
{
    public static GetUserPolicies Instance { get; } = new();
}

/// <summary>
/// One user's policy as it applies now: <paramref name="Weight"/> its share (0.01 to 1000, two decimals),
/// <paramref name="MaxRunning"/> its quota of running tasks (null: none). <paramref name="SetAtRuntime"/> when an admin
/// changed a field since the configuration gave it (journaled; it wins over the configuration until reset).
/// </summary>
public sealed record UserPolicyView(string UserId, decimal Weight, int? MaxRunning, bool SetAtRuntime);

/// <summary>
/// The defaults every user has (<c>lighthouse.scheduler.default-user-weight</c>, <c>default-max-running</c>) and the users
/// whose policy was configured or changed at runtime, in user id order.
/// </summary>
public sealed record UserPoliciesView(decimal DefaultWeight, int? DefaultMaxRunning, IReadOnlyList<UserPolicyView> Users);

/// <summary>
/// Changes one user's policy at runtime; answered by <see cref="UserPolicySet"/> or <see cref="UserPolicyRejected"/>. Admin
/// only. A field left null stays as it is; <paramref name="MaxRunning"/> <see cref="NoQuota"/> means no quota (whatever the
/// default); <paramref name="ResetWeight"/> and <paramref name="ResetMaxRunning"/> drop the runtime value, so the configured one
/// (the user's own, else the default) applies again.
/// </summary>
public sealed record SetUserPolicy(string UserId, decimal? Weight = null, int? MaxRunning = null, bool ResetWeight = false, bool ResetMaxRunning = false)
{
    /// <summary>The <see cref="MaxRunning"/> that means "no quota".</summary>
    public const int NoQuota = 0;
}

/// <summary>The change is journaled; the user's policy is now <paramref name="User"/>.</summary>
public sealed record UserPolicySet(UserPolicyView User);

/// <summary>The change was refused, naming the field and the rule; nothing changed.</summary>
public sealed record UserPolicyRejected(string UserId, string Reason);
