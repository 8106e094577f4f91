using Lighthouse.Host.Cli;

namespace Lighthouse.Host.Tests;

/// <summary>One in-process run of the <c>lighthouse</c> command line with captured streams.</summary>
internal sealed record CommandLineRun(int ExitCode, string Stdout, string Stderr)
{
    public static CommandLineRun Of(params string[] args) => WithInput("", args);

    public static CommandLineRun WithInput(string stdin, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = LighthouseCommandLine.Run(args, new StringReader(stdin), stdout, stderr);
        return new CommandLineRun(exitCode, stdout.ToString(), stderr.ToString());
    }
}
