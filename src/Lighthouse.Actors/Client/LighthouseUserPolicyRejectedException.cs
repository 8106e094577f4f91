namespace Lighthouse.Client;

/// <summary>The scheduler refused a change of a user's weight or quota; <see cref="Reason"/> names the field and the rule. Nothing changed.</summary>
public sealed class LighthouseUserPolicyRejectedException(string userId, string reason)
    : LighthouseException($"the policy of user \"{userId}\" was not changed: {reason}")
{
    public string UserId { get; } = userId;
    public string Reason { get; } = reason;
}
