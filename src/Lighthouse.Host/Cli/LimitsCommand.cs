using System.CommandLine;
using System.Globalization;
using Lighthouse.Host.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Cli;

/// <summary>
/// <c>lighthouse limits</c>: every concurrency key's limit and use; <c>lighthouse limits set KEY N</c> (or <c>none</c>) sets or
/// removes a key's runtime limit. Admin only: a client certificate is refused (exit 1).
/// </summary>
internal static class LimitsCommand
{
    private const string Name = "limits";
    private const string Description = "Print every concurrency key's limit, running, queued and waiting tasks (admin only).";

    public const string Details =
        """
        A key's limit is how many tasks submitted with --concurrency-key KEY run at once across the cluster. LIMIT is the
        one in force ("none": unlimited), CONFIGURED the one of lighthouse.scheduler.concurrency-limits, RUNTIME the one set
        with `lighthouse limits set` (it wins). QUEUED tasks hold a slot and wait only for a node; WAITING ones wait for a slot.
        With --json:
          {"default_limit": null, "waits": 12,
           "keys": [{"key": "db", "limit": 2, "configured_limit": 4, "runtime_limit": 2, "running": 2, "queued": 0, "waiting": 3}]}


        """ + ClientExitCodes.Help;

    private const string SetDescription = "Set a concurrency key's runtime limit (journaled; it wins over the configuration), or remove it with none (admin only).";

    public const string SetDetails =
        """
        lighthouse limits set db 2      at most 2 tasks with key db run at once from now on
        lighthouse limits set db 0      none starts (running ones finish)
        lighthouse limits set db none   the configured limit (or none) applies again
        A lower limit stops no running task: no task with the key starts until fewer run than the limit.
        With --json: the key as `lighthouse limits --json` shows it.


        """ + ClientExitCodes.Help;

    public static Command Create(DetailedHelpAction help)
    {
        var command = ClientCommand.Build(new Command(Name, Description), async call =>
        {
            var view = await call.Lighthouse.GetConcurrencyLimitsAsync(call.Cancellation).ConfigureAwait(false);
            call.Print(() => LimitsJson.Format(view), () => Text(view));
            return ExitCodes.Success;
        });
        command.Add(help.Describe(CreateSet(), SetDetails));
        return help.Describe(command, Details);
    }

    private static Command CreateSet()
    {
        var key = new Argument<string>("key") { Description = "The concurrency key: letters, digits and . _ : -" };
        var limit = new Argument<string>("limit") { Description = "How many tasks with the key may run at once (0 or more), or none to remove the runtime limit." };
        return ClientCommand.Build(new Command("set", SetDescription) { key, limit },
            parsed => (Key: KeyOf(parsed.GetValue(key)), Limit: LimitOf(parsed.GetValue(limit))),
            async (call, input) =>
            {
                var view = await call.Lighthouse.SetConcurrencyLimitAsync(input.Key, input.Limit, call.Cancellation).ConfigureAwait(false);
                call.Print(() => LimitsJson.Format(view), () => SetText(view));
                return ExitCodes.Success;
            });
    }

    private static string KeyOf(string? key) =>
        NameRules.ConcurrencyKeyProblem(key, "KEY") is { } problem ? throw new ClientInputException(problem) : key!;

    /// <summary>A whole number of 0 or more, or <c>none</c> (null).</summary>
    public static int? LimitOf(string? text)
    {
        if (string.Equals(text, "none", StringComparison.OrdinalIgnoreCase)) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)) return limit;
        throw new ClientInputException($"LIMIT \"{text}\" is invalid: give a whole number of 0 or more, or none to remove the runtime limit");
    }

    public static string Text(ConcurrencyLimitsView view)
    {
        var summary = $"keys without a limit: {Limit(view.DefaultLimit)}; tasks made to wait for a key: {view.Waits.ToString(CultureInfo.InvariantCulture)}" + Environment.NewLine;
        if (view.Keys.Count == 0) return summary;
        return summary + Environment.NewLine + TextTable.Format(
            ["KEY", "LIMIT", "CONFIGURED", "RUNTIME", "RUNNING", "QUEUED", "WAITING"],
            view.Keys.Select(key => (IReadOnlyList<string>)
            [
                key.Key,
                Limit(key.Limit),
                key.ConfiguredLimit is { } configured ? configured.ToString(CultureInfo.InvariantCulture) : "-",
                key.RuntimeLimit is { } runtime ? runtime.ToString(CultureInfo.InvariantCulture) : "-",
                key.Running.ToString(CultureInfo.InvariantCulture),
                key.Queued.ToString(CultureInfo.InvariantCulture),
                key.Waiting.ToString(CultureInfo.InvariantCulture),
            ]));
    }

    public static string SetText(ConcurrencyKeyView key) =>
        $"concurrency key {key.Key}: limit {Limit(key.Limit)}" +
        (key.RuntimeLimit is null ? $" (no runtime limit; configured: {(key.ConfiguredLimit is { } c ? c.ToString(CultureInfo.InvariantCulture) : "none")})" : " (runtime)") +
        $"; {key.Running.ToString(CultureInfo.InvariantCulture)} running, {key.Queued.ToString(CultureInfo.InvariantCulture)} queued, {key.Waiting.ToString(CultureInfo.InvariantCulture)} waiting" +
        Environment.NewLine;

    private static string Limit(int? limit) => limit is { } value ? value.ToString(CultureInfo.InvariantCulture) : "none";
}
