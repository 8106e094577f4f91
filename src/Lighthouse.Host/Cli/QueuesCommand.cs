using System.CommandLine;
using System.Globalization;
using Lighthouse.Host.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Cli;

/// <summary><c>lighthouse queues</c>: prints queue depths in total, per priority and per user.</summary>
public static class QueuesCommand
{
    private const string Name = "queues";
    private const string Description = "Print how many tasks are queued and running, in total, per priority and per user.";

    public const string Details =
        """
        With --json:
          {"queued": 3, "running": 1, "queued_by_priority": {"0": 2, "5": 1},
           "users": [{"user": "alice", "queued": 3, "running": 1, "queued_by_priority": {"0": 2, "5": 1}}],
           "users_total": 1, "offset": 0, "more_users": 0, "blocked": 0}
        Users are listed busiest first (most queued, then most running), the first 100 of them; "more_users" (and the
        text's last line) counts the rest, and GET /api/queues?offset=&limit= pages through them all. Users with neither
        queued nor running tasks are left out; priorities are in ascending order. "blocked" counts the queued tasks no
        worker node can take now.


        """ + ClientExitCodes.Help;

    public static Command Create() => ClientCommand.Build(new Command(Name, Description), async call =>
    {
        // The paged read: it says how many users there are beyond the page ("and N more users").
        var view = await call.Lighthouse.GetQueuesAsync(0, GetQueues.DefaultLimit, call.Cancellation).ConfigureAwait(false);
        call.Print(() => QueuesJson.Format(view), () => Text(view));
        return ExitCodes.Success;
    });

    public static string Text(QueuesView view)
    {
        var summary = $"queued: {view.Queued}, running: {view.Running}" +
            (view.QueuedByPriority.Count > 0 ? $" (queued by priority: {ByPriority(view.QueuedByPriority)})" : "") + Environment.NewLine;
        if (view.Users.Count == 0) return summary;
        var more = view.MoreUsers > 0 ? $"and {view.MoreUsers} more user{(view.MoreUsers == 1 ? "" : "s")}" + Environment.NewLine : "";
        return summary + Environment.NewLine + TextTable.Format(
            ["USER", "QUEUED", "RUNNING", "QUEUED BY PRIORITY"],
            view.Users.Select(user => (IReadOnlyList<string>)
            [
                user.UserId,
                user.Queued.ToString(CultureInfo.InvariantCulture),
                user.Running.ToString(CultureInfo.InvariantCulture),
                ByPriority(user.QueuedByPriority),
            ])) + more;
    }

    // "2 at 0, 1 at 5": how many tasks wait at each priority.
    private static string ByPriority(IReadOnlyDictionary<int, int> counts) =>
        counts.Count == 0 ? "-" : string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Value} at {c.Key}"));
}
