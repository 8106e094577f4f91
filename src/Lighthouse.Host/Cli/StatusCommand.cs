using System.CommandLine;
using Lighthouse.Host.Json;

namespace Lighthouse.Host.Cli;

/// <summary><c>lighthouse status ID</c>: prints a task's status.</summary>
public static class StatusCommand
{
    private const string Name = "status";
    private const string Description = "Print a task's status.";

    public const string Details =
        """
        With --json, the task status object:
          {"id": "...", "name": "echo", "user": "alice", "priority": 0,
           "state": "queued" | "running" | "succeeded" | "failed" | "cancelled",
           "progress": 0-100, "result": <the task's JSON result> | null, "error": "..." | null,
           "node": "..." | null, "attempts": 1, "pending_reason": "..." | null,
           "waits_for_capacity": true | false | null,
           "submitted_at": "2025-01-31T09:30:00.125Z", "started_at": ... | null, "finished_at": ... | null}
        Reading a finished task's status collects it: the scheduler then keeps it only for its collected-result retention.
        waits_for_capacity is set while the task is queued and the scheduler found no node for it: true when it waits
        for running tasks to free resources, false when no current node can ever take it.


        """ + ClientExitCodes.Help;

    public static Command Create()
    {
        var id = ClientCommand.TaskIdArgument();
        return ClientCommand.Build(new Command(Name, Description) { id }, async call =>
        {
            var info = await call.Lighthouse.GetAsync(call.Parsed.GetValue(id)!, call.Cancellation).ConfigureAwait(false);
            call.Print(() => TaskInfoJson.Format(info), () => TaskInfoText.Format(info));
            return ExitCodes.Success;
        });
    }
}
