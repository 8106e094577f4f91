namespace Lighthouse.Host.Tests.Serve;

/// <summary>
/// <c>lighthouse serve</c> with input it refuses: one line on stderr, exit 2, and nothing started. (A host that
/// starts is tested as a real process in tests/Lighthouse.IntegrationTests.)
/// </summary>
public sealed class ServeCommandTests
{
    [Fact]
    public void A_bad_port_is_one_line_on_stderr_and_exit_2()
    {
        var run = CommandLineRun.Of("serve", "--port", "4o53");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Equal("lighthouse serve: --port = \"4o53\": not a port number (0 to 65535; 0 takes any free port)\n", run.Stderr);
    }

    [Fact]
    public void A_missing_config_file_is_one_line_on_stderr_and_exit_2()
    {
        var run = CommandLineRun.Of("serve", "--config", "/nonexistent/lighthouse.conf", "--port", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("lighthouse serve: --config \"/nonexistent/lighthouse.conf\": no such file\n", run.Stderr);
    }

    [Fact]
    public void An_unknown_option_is_a_usage_error()
    {
        var run = CommandLineRun.Of("serve", "--prot", "4053");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("lighthouse serve: Unrecognized command or argument '--prot'", run.Stderr);
    }

    [Fact]
    public void Serve_help_documents_the_layers_the_environment_and_the_exit_codes()
    {
        var run = CommandLineRun.Of("serve", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var text in new[] { "--config", "--hostname", "--port", "--http-port", "--no-local-worker", "LIGHTHOUSE_SEEDS", "lighthouse up at", "Exit codes" })
            Assert.Contains(text, run.Stdout);
    }
}
