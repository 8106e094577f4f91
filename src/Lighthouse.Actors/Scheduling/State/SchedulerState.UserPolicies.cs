using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// An admin's change of a user's weight or quota (docs/task-policies.md, "Per user"). Who may ask is the
// Authorization table's and the web layer's; this checks what is asked.
internal sealed partial class SchedulerState
{
    /// <summary>
    /// Change the user's runtime weight and/or quota (<see cref="UserPolicyChanged"/>, answered with the policy it leaves), or
    /// refuse naming the field. A change that changes nothing is answered without an event.
    /// </summary>
    public Decision DecideUserPolicy(SetUserPolicy change, DateTimeOffset now)
    {
        if (UserPolicyProblem(change) is { } problem) return Decision.Answer(new UserPolicyRejected(change.UserId ?? "", problem));
        var before = _policies.Runtime.GetValueOrDefault(change.UserId);
        var after = new UserPolicySetting(
            change.ResetWeight ? null : change.Weight ?? before?.Weight,
            change.ResetMaxRunning ? null : change.MaxRunning ?? before?.MaxRunning);
        var view = _policies.View(change.UserId, after);
        if (after == (before ?? new UserPolicySetting(null, null))) return Decision.Answer(new UserPolicySet(view));
        if (!after.IsEmpty && !_policies.HasOwn(change.UserId) && _policies.OwnCount >= UserPolicyRules.MaxUsers)
        {
            return Decision.Answer(new UserPolicyRejected(change.UserId,
                $"user_id \"{change.UserId}\": {UserPolicyRules.MaxUsers} users already have a policy of their own, the most there may be; reset one first"));
        }
        return new Decision([new UserPolicyChanged(change.UserId, after.Weight, after.MaxRunning, now)], new UserPolicySet(view));
    }

    private string? UserPolicyProblem(SetUserPolicy change)
    {
        if (NameRules.Problem(change.UserId, "user_id", Settings.MaxNameLength) is { } name) return name;
        if (change.Weight is not null && change.ResetWeight) return "weight: a value and a reset were both given; give one";
        if (change.MaxRunning is not null && change.ResetMaxRunning) return "max_running: a value and a reset were both given; give one";
        if (change.Weight is { } weight && UserPolicyRules.WeightProblem(weight, "weight") is { } w) return w;
        if (change.MaxRunning is { } quota && UserPolicyRules.QuotaProblem(quota, "max_running") is { } q) return q;
        return null;
    }
}
