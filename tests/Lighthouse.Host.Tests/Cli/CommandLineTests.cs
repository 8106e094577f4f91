namespace Lighthouse.Host.Tests.Cli;

public class CommandLineTests
{
    // A bare `lighthouse` runs the service (`lighthouse serve`): tested on a real process in
    // tests/Lighthouse.IntegrationTests, since in-process it would serve until stopped.

    [Fact]
    public void Help_lists_the_commands_and_how_to_start()
    {
        var run = CommandLineRun.Of("--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("place <scenario>", run.Stdout);
        Assert.Contains("lighthouse place config/examples/datacenter.json", run.Stdout);
        Assert.Contains("Exit codes", run.Stdout);
    }

    [Fact]
    public void Place_help_documents_the_scenario_the_outcome_and_the_exit_codes()
    {
        var run = CommandLineRun.Of("place", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("lighthouse place <scenario>", run.Stdout);
        foreach (var field in new[] { "\"strategy\"", "\"rubric\"", "\"nodes\"", "\"batches\"", "\"immunities\"", "\"aversion_groups\"", "\"-Infinity\"", "\"assignments\"", "\"final_resources\"", "\"unplaced\"", "standard input", "Exit codes" })
            Assert.Contains(field, run.Stdout);
        // The details belong to `place --help`, not to the root's command list.
        Assert.DoesNotContain("\"final_resources\"", CommandLineRun.Of("--help").Stdout);
    }

    [Theory]
    [InlineData(new[] { "plac", "x.json" }, "lighthouse: Unrecognized command or argument 'plac'", "lighthouse --help")]
    [InlineData(new[] { "place" }, "lighthouse place: Required argument missing", "lighthouse place --help")]
    [InlineData(new[] { "place", "a.json", "b.json" }, "lighthouse place: Unrecognized command or argument 'b.json'", "lighthouse place --help")]
    public void A_usage_error_is_bad_input_on_stderr(string[] args, string message, string hint)
    {
        var run = CommandLineRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains(message, run.Stderr);
        Assert.Contains($"Run '{hint}' for usage.", run.Stderr);
    }
}
