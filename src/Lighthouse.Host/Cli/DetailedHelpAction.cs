using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Lighthouse.Host.Cli;

/// <summary>
/// System.CommandLine's help followed by the command's details (input format, output, exit codes). The details
/// live here rather than in the description because a parent lists every subcommand with its full description,
/// and a format reference there would bury the one-line summaries.
/// </summary>
internal sealed class DetailedHelpAction : SynchronousCommandLineAction
{
    private readonly Dictionary<Command, string> details = [];

    /// <summary>Registers <paramref name="text"/> to follow the help of <paramref name="command"/>; returns the command.</summary>
    public Command Describe(Command command, string text)
    {
        details[command] = text;
        return command;
    }

    public override int Invoke(ParseResult parsed)
    {
        new HelpAction().Invoke(parsed);
        if (details.TryGetValue(parsed.CommandResult.Command, out var text))
            parsed.InvocationConfiguration.Output.WriteLine(text.TrimEnd() + Environment.NewLine);
        return ExitCodes.Success;
    }
}
