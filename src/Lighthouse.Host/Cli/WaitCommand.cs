using System.CommandLine;
using Lighthouse.Client;
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
        var id = new Argument<string>("id") { Description = "The task id, as submit printed it." };
        var client = new ClientOptions();
        var command = new Command(Name, Description) { id };
        client.AddTo(command);
        command.SetAction(parsed => ClientCommand.Run(Name, parsed.InvocationConfiguration.Error, () => client.Read(parsed),
            (lighthouse, settings, cancel) => FollowAsync(Name, lighthouse, parsed.GetValue(id)!, settings,
                parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, cancel)));
        return command;
    }

    /// <summary>Waits for the task, shows its progress unless <c>--json</c>, prints the final status, and returns the exit code of its final state.</summary>
    public static async Task<int> FollowAsync(string command, LighthouseClient client, string taskId, ClientSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var display = settings.Json ? null : new ProgressDisplay(stdout, ProgressDisplay.IsTerminal(stdout));
        TaskInfo final;
        try
        {
            final = await client.WaitAsync(taskId, display, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            display?.Finish();
        }

        stdout.Write(settings.Json ? TaskInfoJson.Format(final) + Environment.NewLine : TaskInfoText.Format(final));
        return final.State switch
        {
            TaskState.Failed => ClientCommand.Fail(stderr, command, $"task {taskId} failed: {final.Error}", ClientExitCodes.OperationFailed),
            TaskState.Cancelled => ClientCommand.Fail(stderr, command, $"task {taskId} was cancelled", ClientExitCodes.TaskCancelled),
            _ => ExitCodes.Success,
        };
    }
}
