using System.CommandLine;
using Lighthouse.Client;

namespace Lighthouse.Host.Cli;

/// <summary>
/// What every client command shares: the options <c>--host</c>, <c>--json</c> and <c>--timeout</c>, connecting to the
/// host, and turning every failure into one line on stderr and an exit code (see <see cref="ClientExitCodes"/>).
/// </summary>
public static class ClientCommand
{
    /// <summary>The task id that <c>status</c>, <c>wait</c> and <c>cancel</c> take.</summary>
    public static Argument<string> TaskIdArgument() => new("id") { Description = "The task id, as submit printed it." };

    /// <summary>Adds the client options to <paramref name="command"/> and makes <paramref name="work"/>, run on a connected client, its action.</summary>
    public static Command Build(Command command, Func<ClientCall, Task<int>> work) =>
        Build(command, _ => true, (call, _) => work(call));

    /// <summary>
    /// As <see cref="Build(Command, Func{ClientCall, Task{int}})"/>, with the command's own input read first by
    /// <paramref name="readInput"/>: input it refuses (<see cref="ClientInputException"/>) is bad input, and nothing is sent.
    /// </summary>
    public static Command Build<TInput>(Command command, Func<ParseResult, TInput> readInput, Func<ClientCall, TInput, Task<int>> work)
    {
        var options = new ClientOptions();
        options.AddTo(command);
        command.SetAction((parsed, _) => RunAsync(command.Name, parsed, () => (readInput(parsed), options.Read(parsed)), work));
        return command;
    }

    /// <summary>Writes <c>lighthouse COMMAND: MESSAGE</c> on stderr and returns <paramref name="exitCode"/>.</summary>
    public static int Fail(TextWriter stderr, string command, string message, int exitCode)
    {
        stderr.WriteLine($"{LighthouseCommandLine.Name} {command}: {message}");
        return exitCode;
    }

    private static async Task<int> RunAsync<TInput>(string command, ParseResult parsed, Func<(TInput, ClientSettings)> read, Func<ClientCall, TInput, Task<int>> work)
    {
        var stderr = parsed.InvocationConfiguration.Error;
        TInput input;
        ClientSettings settings;
        try
        {
            (input, settings) = read();
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
            return await ConnectAndRunAsync(command, parsed, settings, input, work, interrupt.Token).ConfigureAwait(false);
        }
        catch (LighthouseUnavailableException unavailable)
        {
            return Fail(stderr, command, $"cannot reach the Lighthouse host at {settings.Host}: {unavailable.Message}", ClientExitCodes.OperationFailed);
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

    private static async Task<int> ConnectAndRunAsync<TInput>(string command, ParseResult parsed, ClientSettings settings, TInput input,
        Func<ClientCall, TInput, Task<int>> work, CancellationToken cancellationToken)
    {
        await using var client = await LighthouseClient.ConnectAsync(settings.Host, settings.ClientOptions, cancellationToken).ConfigureAwait(false);
        return await work(new ClientCall(command, parsed, client, settings, cancellationToken), input).ConfigureAwait(false);
    }
}
