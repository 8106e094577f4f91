using System.CommandLine;
using Lighthouse.Host.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Cli;

/// <summary><c>lighthouse wait ID</c>: waits until a task has finished, showing its progress, and prints its final status.</summary>
public static class WaitCommand
{
    private const string Name = "wait";
    private const string Description = "Wait until a task has finished, showing its progress, and print its final status.";

    public const string Details =
        """
        Progress: on a terminal a bar redrawn in place; when stdout is redirected one line per change (state, node,
        progress, waiting reason). With --json nothing but the final task status object (see 'lighthouse status --help').
        The exit code tells how the task ended: 0 succeeded, 1 failed (its error on stderr), 3 cancelled.


        """ + ClientExitCodes.Help;

    public static Command Create()
    {
        var id = ClientCommand.TaskIdArgument();
        return ClientCommand.Build(new Command(Name, Description) { id }, call => FollowAsync(call, call.Parsed.GetValue(id)!));
    }

    /// <summary>Waits for the task, shows its progress unless <c>--json</c>, prints the final status, and returns the exit code of its final state.</summary>
    public static async Task<int> FollowAsync(ClientCall call, string taskId)
    {
        var display = call.Settings.Json ? null : new ProgressDisplay(call.Output, ProgressDisplay.IsTerminal(call.Output));
        TaskInfo final;
        try
        {
            final = await call.Lighthouse.WaitAsync(taskId, display, call.Cancellation).ConfigureAwait(false);
        }
        finally
        {
            display?.Finish();
        }

        call.Print(() => TaskInfoJson.Format(final), () => TaskInfoText.Format(final));
        return final.State switch
        {
            TaskState.Failed => ClientCommand.Fail(call.Error, call.Command, $"task {taskId} failed: {final.Error}", ClientExitCodes.OperationFailed),
            TaskState.Cancelled => ClientCommand.Fail(call.Error, call.Command, $"task {taskId} was cancelled", ClientExitCodes.TaskCancelled),
            _ => ExitCodes.Success,
        };
    }
}
