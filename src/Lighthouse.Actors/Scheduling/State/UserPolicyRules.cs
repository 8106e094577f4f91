using System.Globalization;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// The bounds of the per-user policies (docs/task-policies.md, "Per user"), checked alike on the configuration and on an
/// admin's change: each problem names the field or key it is about.
/// </summary>
internal static class UserPolicyRules
{
    /// <summary>The smallest weight; weights have at most two decimals, so they compare exactly in hundredths.</summary>
    public const decimal MinWeight = 0.01m;

    /// <summary>The largest weight.</summary>
    public const decimal MaxWeight = 1000m;

    /// <summary><see cref="MaxWeight"/> in hundredths: running × weight stays far within 64 bits.</summary>
    public const int MaxWeightHundredths = 100_000;

    /// <summary>The largest quota of running tasks.</summary>
    public const int MaxQuota = 1_000_000;

    /// <summary>Users with a policy of their own (configured or set at runtime), at most.</summary>
    public const int MaxUsers = 10_000;

    /// <summary>Why <paramref name="weight"/> is no weight, naming it <paramref name="field"/>; null when it is one.</summary>
    public static string? WeightProblem(decimal weight, string field)
    {
        if (weight is < MinWeight or > MaxWeight)
            return $"{field} {weight.ToString(CultureInfo.InvariantCulture)} is out of range: a weight is between {Text(MinWeight)} and {Text(MaxWeight)}";
        if (decimal.Round(weight, 2) != weight)
            return $"{field} {weight.ToString(CultureInfo.InvariantCulture)} has more than two decimals: weights are counted in hundredths";
        return null;
    }

    /// <summary>Why <paramref name="maxRunning"/> is no quota, naming it <paramref name="field"/>; null when it is one (<see cref="SetUserPolicy.NoQuota"/> is: none).</summary>
    public static string? QuotaProblem(int maxRunning, string field) => maxRunning is < 0 or > MaxQuota
        ? $"{field} {maxRunning.ToString(CultureInfo.InvariantCulture)} is out of range: a quota is between 1 and {MaxQuota.ToString(CultureInfo.InvariantCulture)} running tasks, or off"
        : null;

    /// <summary>The weight in hundredths (it passed <see cref="WeightProblem"/>).</summary>
    public static int Hundredths(decimal weight) => (int)(weight * 100);

    public static string Text(decimal weight) => weight.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>
/// A user's own policy, from the configuration or set at runtime: a null field is not set here (the next layer applies:
/// runtime over configured over the default); <paramref name="MaxRunning"/> <see cref="SetUserPolicy.NoQuota"/> is "off".
/// </summary>
public sealed record UserPolicySetting(decimal? Weight, int? MaxRunning)
{
    public bool IsEmpty => Weight is null && MaxRunning is null;
}
