using System.Text.Json.Nodes;
using Lighthouse.IntegrationTests.Fixtures;

namespace Lighthouse.IntegrationTests.EndToEnd;

/// <summary>One run of a <c>lighthouse</c> client command (<c>submit</c>, <c>wait</c>, ...) as a real process, to its exit.</summary>
public sealed class CliProcess : ManagedProcess
{
    /// <summary>A command's start-up (a .NET process and a small ActorSystem) takes seconds on a loaded 2-core machine.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private CliProcess(IReadOnlyList<string> arguments) : base($"lighthouse {arguments[0]}", "lighthouse.dll", arguments, null)
    {
    }

    /// <summary>What a finished command printed.</summary>
    public sealed record Outcome(string Command, int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>Stdout as JSON, or a failure that shows the command, its exit code and its output.</summary>
        public JsonNode Json()
        {
            Assert.True(ExitCode == 0, $"{Command} exited with {ExitCode}; stdout: {Stdout}; stderr: {Stderr}");
            return JsonNode.Parse(Stdout) ?? throw new InvalidOperationException($"{Command} printed JSON null");
        }
    }

    /// <summary>Runs <c>lighthouse ARGUMENTS</c> and waits (at most <see cref="Limit"/>) for its exit; the process is killed if it overstays.</summary>
    public static async Task<Outcome> RunAsync(params string[] arguments)
    {
        await using var run = new CliProcess(arguments);
        var exitCode = await run.WaitForExitAsync(Limit);
        return new Outcome($"lighthouse {string.Join(' ', arguments)}", exitCode, string.Join('\n', run.Log.Stdout), string.Join('\n', run.Log.Stderr));
    }
}
