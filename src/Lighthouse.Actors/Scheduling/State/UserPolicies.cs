using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// Each user's weight and quota, in three layers: a runtime value an admin set (journaled, <see cref="UserPolicyChanged"/>)
/// wins over the user's configured value (<c>lighthouse.scheduler.users</c>), which wins over the default
/// (<c>default-user-weight</c>, <c>default-max-running</c>). Field by field: a user may have a runtime quota and a configured
/// weight. Resetting a runtime value brings back the configured one; a restart with another configuration changes what
/// configured users start with, but not what an admin set.
/// </summary>
internal sealed class UserPolicies(SchedulerSettings settings)
{
    private readonly Dictionary<string, UserPolicySetting> _runtime = new(StringComparer.Ordinal);

    /// <summary>The values set at runtime, per user (for snapshots).</summary>
    public IReadOnlyDictionary<string, UserPolicySetting> Runtime => _runtime;

    /// <summary>The weight (in hundredths) and quota the fair queues use for <paramref name="userId"/>: two look-ups.</summary>
    public UserLimits LimitsOf(string userId)
    {
        var (weight, maxRunning) = Effective(userId);
        return new UserLimits(UserPolicyRules.Hundredths(weight), maxRunning ?? SetUserPolicy.NoQuota);
    }

    /// <summary>The weight and quota (null: none) that apply to <paramref name="userId"/>.</summary>
    public (decimal Weight, int? MaxRunning) Effective(string userId) => Effective(_runtime.GetValueOrDefault(userId), userId);

    private (decimal Weight, int? MaxRunning) Effective(UserPolicySetting? runtime, string userId)
    {
        var configured = settings.Users.GetValueOrDefault(userId);
        var weight = runtime?.Weight ?? configured?.Weight ?? settings.DefaultUserWeight;
        var maxRunning = runtime?.MaxRunning ?? configured?.MaxRunning ?? settings.DefaultMaxRunning ?? SetUserPolicy.NoQuota;
        return (weight, maxRunning == SetUserPolicy.NoQuota ? null : maxRunning);
    }

    /// <summary>Whether the user has a policy of its own (configured or set at runtime), which counts against <see cref="UserPolicyRules.MaxUsers"/>.</summary>
    public bool HasOwn(string userId) => _runtime.ContainsKey(userId) || settings.Users.ContainsKey(userId);

    /// <summary>Users with a policy of their own.</summary>
    public int OwnCount => settings.Users.Count + _runtime.Keys.Count(u => !settings.Users.ContainsKey(u));

    public UserPolicyView View(string userId) => View(userId, _runtime.GetValueOrDefault(userId));

    /// <summary>What the user's policy would look like with <paramref name="runtime"/> as its runtime values.</summary>
    public UserPolicyView View(string userId, UserPolicySetting? runtime)
    {
        var (weight, maxRunning) = Effective(runtime, userId);
        return new UserPolicyView(userId, weight, maxRunning, runtime is { IsEmpty: false });
    }

    /// <summary>The defaults and every user with a policy of its own, in user id order.</summary>
    public UserPoliciesView View() => new(
        settings.DefaultUserWeight,
        settings.DefaultMaxRunning,
        settings.Users.Keys.Concat(_runtime.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(View).ToList());

    /// <summary>Sets the user's runtime values (an empty setting drops them).</summary>
    public void Set(string userId, UserPolicySetting runtime)
    {
        if (runtime.IsEmpty) _runtime.Remove(userId);
        else _runtime[userId] = runtime;
    }
}
