using Lighthouse.Client;

namespace Lighthouse.Host.Cli;

/// <summary>
/// Runs a client command: connects to the host, runs the command's work, and turns every failure into one line on
/// stderr and an exit code (see <see cref="ClientExitCodes"/>).
/// </summary>
public static class ClientCommand
{
    public static int Run(string command, TextWriter stderr, Func<ClientSettings> settings, Func<LighthouseClient, ClientSettings, CancellationToken, Task<int>> work)
    {
        ClientSettings read;
        try
        {
            read = settings();
        }
        catch (Exception bad) when (bad is ClientInputException or InputTextException)
        {
            return Fail(stderr, command, bad.Message, ExitCodes.BadInput);
        }

        // Ctrl-C ends a long wait cleanly: the client's ActorSystem is disposed and the exit code says so.
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, press) =>
        {
            press.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return RunAsync(read, work, interrupt.Token).GetAwaiter().GetResult();
        }
        catch (LighthouseUnavailableException unavailable)
        {
            return Fail(stderr, command, $"cannot reach the Lighthouse host at {read.Host}: {unavailable.Message}", ClientExitCodes.OperationFailed);
        }
        catch (LighthouseException refused)
        {
            // Unknown task ids and rejected submissions: the message already names the task and the reason.
            return Fail(stderr, command, refused.Message, ClientExitCodes.OperationFailed);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            return Fail(stderr, command, "interrupted", ClientExitCodes.Interrupted);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    public static int Fail(TextWriter stderr, string command, string message, int exitCode)
    {
        stderr.WriteLine($"{LighthouseCommandLine.Name} {command}: {message}");
        return exitCode;
    }

    private static async Task<int> RunAsync(ClientSettings settings, Func<LighthouseClient, ClientSettings, CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        await using var client = await LighthouseClient.ConnectAsync(settings.Host, settings.ClientOptions, cancellationToken).ConfigureAwait(false);
        return await work(client, settings, cancellationToken).ConfigureAwait(false);
    }
}
