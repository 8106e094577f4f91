using System.CommandLine;
using System.Globalization;
using Lighthouse.Host.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Cli;

/// <summary>
/// <c>lighthouse users</c>: the per-user weights and quotas (docs/task-policies.md, "Per user"); <c>users set NAME</c> and
/// <c>users reset NAME</c> change them at runtime. Admin only in a TLS cluster.
/// </summary>
internal static class UsersCommand
{
    private const string Name = "users";
    private const string Description = "Print the per-user weights and quotas (the defaults and every user with its own); set or reset one user's.";

    public const string Details =
        """
        The next task comes from the user with the lowest running ÷ weight; a user at its quota (max running) waits
        while other users' tasks go by. Admin only in a TLS cluster.
          lighthouse users
          lighthouse users set alice --weight 3 --max-running 4
          lighthouse users set bob --max-running off        (no quota, whatever the default)
          lighthouse users set alice --weight default       (back to the configured weight)
          lighthouse users reset alice                      (both back to the configured values)
        A change is journaled: it survives restarts and fail-over and wins over lighthouse.scheduler.users until reset.
        With --json: {"default_weight": 1, "default_max_running": null,
                      "users": [{"user": "alice", "weight": 3, "max_running": 4, "set_at_runtime": true}]}


        """ + ClientExitCodes.Help;

    public static Command Create(DetailedHelpAction help)
    {
        var command = ClientCommand.Build(new Command(Name, Description), async call =>
        {
            var view = await call.Lighthouse.GetUserPoliciesAsync(call.Cancellation).ConfigureAwait(false);
            call.Print(() => UserPoliciesJson.Format(view), () => Text(view));
            return ExitCodes.Success;
        });
        command.Add(help.Describe(CreateSet(), "Weights are 0.01 to 1000 (two decimals); a quota is 1 to 1000000 running tasks, off, or default.\n\n" + ClientExitCodes.Help));
        command.Add(help.Describe(CreateReset(), ClientExitCodes.Help));
        return help.Describe(command, Details);
    }

    private static Command CreateSet()
    {
        var user = new Argument<string>("user") { Description = "The user id." };
        var weight = new Option<string?>("--weight") { Description = "The user's weight (0.01 to 1000), or default for the configured one.", HelpName = "W|default" };
        var maxRunning = new Option<string?>("--max-running") { Description = "The most tasks the user may run at once, off for no quota, or default for the configured one.", HelpName = "N|off|default" };
        var command = new Command("set", "Change one user's weight and/or quota at runtime (journaled).") { user, weight, maxRunning };
        return ClientCommand.Build(command, parsed => ChangeOf(parsed.GetValue(user)!, parsed.GetValue(weight), parsed.GetValue(maxRunning)), Apply);
    }

    private static Command CreateReset()
    {
        var user = new Argument<string>("user") { Description = "The user id." };
        var command = new Command("reset", "Drop one user's runtime weight and quota: the configured values apply again.") { user };
        return ClientCommand.Build(command, parsed => new SetUserPolicy(parsed.GetValue(user)!, ResetWeight: true, ResetMaxRunning: true), Apply);
    }

    private static async Task<int> Apply(ClientCall call, SetUserPolicy change)
    {
        var user = await call.Lighthouse.SetUserPolicyAsync(change, call.Cancellation).ConfigureAwait(false);
        call.Print(() => UserPoliciesJson.Format(user), () => Line(user) + Environment.NewLine);
        return ExitCodes.Success;
    }

    /// <summary>What <c>users set</c> asks for; a value that is not a number (or off/default) is bad input, and nothing is sent.</summary>
    public static SetUserPolicy ChangeOf(string user, string? weight, string? maxRunning)
    {
        if (weight is null && maxRunning is null) throw new ClientInputException("give --weight and/or --max-running");
        decimal? newWeight = null;
        int? newQuota = null;
        if (weight is not null and not "default")
        {
            newWeight = decimal.TryParse(weight, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var w)
                ? w
                : throw new ClientInputException($"--weight \"{weight}\" is not a number: give one from 0.01 to 1000, or default");
        }
        if (maxRunning is "off") newQuota = SetUserPolicy.NoQuota;
        else if (maxRunning is not null and not "default")
        {
            newQuota = int.TryParse(maxRunning, NumberStyles.None, CultureInfo.InvariantCulture, out var q) && q >= 1
                ? q
                : throw new ClientInputException($"--max-running \"{maxRunning}\" is not a quota: give a whole number of at least 1, off, or default");
        }
        return new SetUserPolicy(user, newWeight, newQuota, weight == "default", maxRunning == "default");
    }

    public static string Text(UserPoliciesView view)
    {
        var summary = $"default weight: {Weight(view.DefaultWeight)}, default max running: {Quota(view.DefaultMaxRunning)}" + Environment.NewLine;
        if (view.Users.Count == 0) return summary;
        return summary + Environment.NewLine + TextTable.Format(
            ["USER", "WEIGHT", "MAX RUNNING", "SET AT RUNTIME"],
            view.Users.Select(u => (IReadOnlyList<string>)[u.UserId, Weight(u.Weight), Quota(u.MaxRunning), u.SetAtRuntime ? "yes" : "no"]));
    }

    private static string Line(UserPolicyView user) =>
        $"user {user.UserId}: weight {Weight(user.Weight)}, max running {Quota(user.MaxRunning)}{(user.SetAtRuntime ? " (set at runtime)" : " (as configured)")}";

    private static string Weight(decimal weight) => weight.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Quota(int? quota) => quota?.ToString(CultureInfo.InvariantCulture) ?? "off";
}
