using System.CommandLine;
using Lighthouse.Client;
using Lighthouse.Host.Json;

namespace Lighthouse.Host.Cli;

/// <summary><c>lighthouse cancel ID</c>: cancels a task.</summary>
public static class CancelCommand
{
    private const string Name = "cancel";
    private const string Description = "Cancel a task: at once when queued; a running task's worker is told to stop it.";

    public const string Details =
        """
        Cancelling a task that has already finished changes nothing and is not an error (exit 0).
        With --json: {"id": "...", "outcome": "cancelled" | "pending" | "already_finished",
                      "node": "..." | null (pending: the node told to stop it),
                      "state": "succeeded" | "failed" | "cancelled" | null (already_finished: how it ended)}


        """ + ClientExitCodes.Help;

    public static Command Create()
    {
        var id = ClientCommand.TaskIdArgument();
        return ClientCommand.Build(new Command(Name, Description) { id }, async call =>
        {
            var result = await call.Lighthouse.CancelAsync(call.Parsed.GetValue(id)!, call.Cancellation).ConfigureAwait(false);
            call.Print(() => CancelResultJson.Format(result), () => Text(result) + Environment.NewLine);
            return ExitCodes.Success;
        });
    }

    public static string Text(CancelResult result) => result.Outcome switch
    {
        CancelOutcome.Cancelled => $"cancelled task {result.TaskId}",
        CancelOutcome.Pending => $"cancelling task {result.TaskId}: its node {result.Node} was told to stop it",
        _ => $"task {result.TaskId} had already finished: {(result.FinishedState is { } state ? TaskInfoJson.StateName(state) : "finished")}",
    };
}
