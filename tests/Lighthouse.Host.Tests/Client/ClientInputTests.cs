using System.Net;
using System.Net.Sockets;
using Lighthouse.Host.Cli;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Client;

/// <summary>Bad input exits 2 with one line naming the option and value and submits nothing; an unreachable host exits 1.</summary>
public sealed class ClientInputTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ClientCli _cli = new(fixture);

    [Theory]
    [InlineData("--payload", "{bad", "--payload is not valid JSON: ")]
    [InlineData("--payload", "EXIT", "--payload is not valid JSON: ")]
    [InlineData("--payload", "@", "--payload \"@\" names no file")]
    [InlineData("--require", "cpu=abc", "--require \"cpu=abc\": the quantity of \"cpu\" is \"abc\", not a number")]
    [InlineData("--require", "cpu=NaN", "--require \"cpu=NaN\": the quantity of \"cpu\" is \"NaN\", not a number")]
    [InlineData("--require", "cpu", "--require \"cpu\": item 1 \"cpu\" is not RESOURCE=QUANTITY, e.g. cpu=2")]
    [InlineData("--require", "=2", "--require \"=2\": item 1 \"=2\" has no resource name")]
    [InlineData("--require", "cpu=1,cpu=2", "--require \"cpu=1,cpu=2\": \"cpu\" is given twice")]
    [InlineData("--require", "cpu=1,,gpu=1", "--require \"cpu=1,,gpu=1\": item 2 is empty")]
    [InlineData("--immune", "a,,b", "--immune \"a,,b\": item 2 is empty")]
    [InlineData("--aversion", ",", "--aversion \",\": item 1 is empty")]
    [InlineData("--max-attempts", "0", "--max-attempts 0 is invalid: a task needs at least 1 attempt")]
    [InlineData("--timeout", "0", "--timeout \"0\" is invalid: it must be a positive number of seconds")]
    [InlineData("--timeout", "soon", "--timeout \"soon\" is invalid")]
    [InlineData("--timeout", "NaN", "--timeout \"NaN\" is invalid")]
    [InlineData("--retries", "-1", "--retries -1 is invalid: it must be 0 or more")]
    [InlineData("--retry-backoff", "1s", "--retry-backoff needs --retries N")]
    [InlineData("--retry-max-backoff", "1s", "--retry-max-backoff needs --retries N")]
    [InlineData("--run-timeout", "NaN", "--run-timeout \"NaN\" is not a duration")]
    [InlineData("--run-timeout", "Infinitys", "--run-timeout \"Infinitys\" is not a duration")]
    [InlineData("--run-timeout", "soon", "--run-timeout \"soon\" is not a duration")]
    [InlineData("--delay", "-2s", "--delay \"-2s\" is negative")]
    [InlineData("--delay", "1e300d", "--delay \"1e300d\" is far too long")]
    [InlineData("--not-before", "tomorrow", "--not-before \"tomorrow\" is not an ISO-8601 time with its offset")]
    [InlineData("--not-before", "2030-01-01T10:00:00", "--not-before \"2030-01-01T10:00:00\" is not an ISO-8601 time with its offset")]
    public void A_bad_submit_option_exits_2_with_one_line_naming_it_and_submits_nothing(string option, string value, string message)
    {
        var user = ClientCli.NewUser();

        var run = _cli.Run("submit", "echo", "--user", user, option, value);

        Assert.Equal((ExitCodes.BadInput, ""), (run.ExitCode, run.Stdout));
        var line = Assert.Single(run.Stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lighthouse submit: " + message, line);
        Assert.Equal(0, _cli.QueuedOf(user));
    }

    [Fact]
    public void A_missing_payload_file_exits_2_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"lighthouse-no-such-{Guid.NewGuid():N}.json");

        var run = _cli.Run("submit", "echo", "--payload", "@" + missing);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal($"lighthouse submit: cannot read \"{missing}\": no such file{Environment.NewLine}", run.Stderr);
    }

    [Fact]
    public void A_payload_file_that_is_not_json_exits_2_naming_the_file()
    {
        using var file = new TempFile("not json");

        var run = _cli.Run("submit", "echo", "--payload", "@" + file.Path);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith($"lighthouse submit: --payload @{file.Path} is not valid JSON: ", run.Stderr);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("nodes")]
    [InlineData("queues")]
    public void A_malformed_host_exits_2_naming_it(string command)
    {
        string[] args = command == "status" ? ["status", "some-id", "--host", "127.0.0.1:abc"] : [command, "--host", "127.0.0.1:abc"];

        var run = CommandLineRun.Of(args);

        Assert.Equal((ExitCodes.BadInput, ""), (run.ExitCode, run.Stdout));
        Assert.Equal($"lighthouse {command}: --host: host \"127.0.0.1:abc\" is invalid: the port \"abc\" is not a number from 1 to 65535{Environment.NewLine}", run.Stderr);
    }

    [Fact]
    public void A_non_numeric_priority_is_a_usage_error()
    {
        var run = _cli.Run("submit", "echo", "--priority", "high");

        Assert.Equal((ExitCodes.BadInput, ""), (run.ExitCode, run.Stdout));
        Assert.Contains("high", run.Stderr);
    }

    [Theory]
    [InlineData("submit", "echo")]
    [InlineData("status", "some-id")]
    [InlineData("wait", "some-id")]
    [InlineData("cancel", "some-id")]
    [InlineData("nodes", null)]
    [InlineData("queues", null)]
    public void An_unreachable_host_exits_1_after_the_timeout_with_one_line_naming_the_address(string command, string? argument)
    {
        var address = $"127.0.0.1:{ClosedPort()}";
        string[] args = argument is null ? [command] : [command, argument];

        var run = CommandLineRun.Of([.. args, "--host", address, "--timeout", "0.5"]);

        Assert.Equal((ClientExitCodes.OperationFailed, ""), (run.ExitCode, run.Stdout));
        var line = Assert.Single(run.Stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"lighthouse {command}: cannot reach the Lighthouse host at {address}: no answer from the Lighthouse host at {address}", line);
    }

    [Theory]
    [InlineData("submit")]
    [InlineData("status")]
    [InlineData("wait")]
    [InlineData("cancel")]
    [InlineData("nodes")]
    [InlineData("queues")]
    public void Every_client_command_documents_its_options_and_exit_codes(string command)
    {
        var run = CommandLineRun.Of(command, "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var option in new[] { "--host", "--json", "--timeout" })
            Assert.Contains(option, run.Stdout);
        Assert.Contains("Exit codes: 0 done; 1 the operation failed", run.Stdout);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
