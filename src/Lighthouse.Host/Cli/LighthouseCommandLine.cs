using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Lighthouse.Host.Cli;

/// <summary>
/// The <c>lighthouse</c> command line. Each command is built in its own file and added in <see cref="Build"/>; every
/// command reads and writes only the streams given to <see cref="Run"/>, so tests drive the whole command line in-process.
/// </summary>
public static class LighthouseCommandLine
{
    public const string Name = "lighthouse";

    private const string Description =
        "Lighthouse: an actor-model cluster scheduler for .NET. It places tasks on worker nodes by their resources, " +
        "explains every refusal, and runs them.";

    private const string Details =
        """
        Start a single-machine Lighthouse (what a bare `lighthouse` does), then submit from another terminal:
          lighthouse serve
          lighthouse submit echo --payload '{"hello": "world"}' --wait

        Try the placement engine on a shipped scenario:
          lighthouse place config/examples/datacenter.json

        Exit codes: 0 success, 2 bad input (the message on stderr says what and where); the client commands also
        use 1 for a failed operation (host unreachable, unknown task, rejected or failed task) and 3 for a cancelled task.
        """;

    /// <summary>The process's entry: parses <paramref name="args"/> and runs the command; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        Parse(args, stdin, stderr) is { } parsed
            // No termination handling by System.CommandLine (its default gives an action 2 s after Ctrl-C or SIGTERM):
            // serve leaves the cluster through its generic host, and a client command reports "interrupted" itself.
            ? parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null })
            : Task.FromResult(ExitCodes.BadInput);

    /// <summary><see cref="RunAsync"/> for callers that hold no async context (the in-process tests).</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        Parse(args, stdin, stderr) is { } parsed ? parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr }) : ExitCodes.BadInput;

    /// <summary>The parsed command line, or null when it is a usage error, which is reported on <paramref name="stderr"/>.</summary>
    private static ParseResult? Parse(string[] args, TextReader stdin, TextWriter stderr)
    {
        // No response files: "@FILE" is submit's way to name a payload file, not a file of more arguments.
        var parsed = Build(stdin).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0 && parsed.Action is ParseErrorAction)
        {
            // System.CommandLine would print the help to stdout and exit 1; a usage error is bad input like any
            // other: a short message on stderr, nothing on stdout, exit 2.
            var command = CommandPath(parsed);
            foreach (var error in parsed.Errors)
                stderr.WriteLine($"{command}: {error.Message}");
            stderr.WriteLine($"Run '{command} --help' for usage.");
            return null;
        }
        return parsed;
    }

    /// <summary>
    /// The root command. Named explicitly rather than after the running executable, so help reads "lighthouse"
    /// under <c>dotnet lighthouse.dll</c> and in tests alike.
    /// </summary>
    public static Command Build(TextReader stdin)
    {
        var help = new DetailedHelpAction();
        var root = new Command(Name, Description)
        {
            new HelpOption { Action = help },
            new VersionOption(),
        };
        help.Describe(root, Details);
        root.Add(help.Describe(ServeCommand.Create(), ServeCommand.Details));
        root.Add(help.Describe(PlaceCommand.Create(stdin), PlaceCommand.Details));
        root.Add(help.Describe(SubmitCommand.Create(stdin), SubmitCommand.Details));
        root.Add(help.Describe(StatusCommand.Create(), StatusCommand.Details));
        root.Add(help.Describe(WaitCommand.Create(), WaitCommand.Details));
        root.Add(help.Describe(CancelCommand.Create(), CancelCommand.Details));
        root.Add(help.Describe(NodesCommand.Create(), NodesCommand.Details));
        root.Add(help.Describe(QueuesCommand.Create(), QueuesCommand.Details));
        root.Add(LimitsCommand.Create(help));
        root.Add(UsersCommand.Create(help));
        root.Add(CertsCommand.Create(help));
        // With no command, run the service with its defaults: the README's first command is a bare `lighthouse`.
        root.SetAction((parsed, _) => ServeCommand.ExecuteAsync(
            new Serve.ServeArguments(), Serve.HostEnvironment.OfProcess(), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return root;
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var command = parsed.CommandResult; command is not null; command = command.Parent as CommandResult)
            names.Add(command.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
