using System.Net;
using System.Net.Sockets;
using Lighthouse.IntegrationTests.Fixtures;

namespace Lighthouse.IntegrationTests.Serve;

/// <summary>A host that cannot start says why on one line of stderr and exits: 2 for bad input, 1 when the machine is in the way.</summary>
public sealed class HostRefusalTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static async Task<(int ExitCode, ProcessLog Log)> RunAsync(IReadOnlyList<string> arguments)
    {
        await using var host = HostProcess.Launch(arguments);
        return (await host.WaitForExitAsync(Limit), host.Log);
    }

    [Fact]
    public async Task A_missing_config_file_is_one_line_and_exit_2()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"lighthouse-missing-{Guid.NewGuid():N}.conf");

        var (exitCode, log) = await RunAsync(["serve", "--config", missing]);

        Assert.Equal(2, exitCode);
        Assert.Equal([$"lighthouse serve: --config \"{missing}\": no such file"], log.Stderr);
        Assert.Empty(log.Stdout);
    }

    [Fact]
    public async Task A_bad_value_in_the_config_file_is_one_line_naming_file_key_and_value_and_exit_2()
    {
        var file = Path.Combine(Path.GetTempPath(), $"lighthouse-bad-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(file, "lighthouse.scheduler.queue-cap-per-user = none\n");
        try
        {
            var (exitCode, log) = await RunAsync(["serve", "--config", file]);

            Assert.Equal(2, exitCode);
            Assert.Equal([$"lighthouse serve: --config \"{file}\": lighthouse.scheduler.queue-cap-per-user = \"none\" is invalid: it must be a whole number of at least 1"], log.Stderr);
            Assert.Empty(log.Stdout);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_bad_flag_is_one_line_and_exit_2()
    {
        var (exitCode, log) = await RunAsync(["serve", "--port", "99999"]);

        Assert.Equal(2, exitCode);
        Assert.Equal(["lighthouse serve: --port = \"99999\": not a port number (0 to 65535; 0 takes any free port)"], log.Stderr);
    }

    [Fact]
    public async Task A_cluster_port_in_use_is_one_clear_line_and_exit_1()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;

            var (exitCode, log) = await RunAsync(["serve", "--port", port.ToString(), "--http-port", "0", "--no-local-worker"]);

            Assert.Equal(1, exitCode);
            Assert.Equal([$"lighthouse serve: cannot listen on 127.0.0.1:{port}: the port is already in use (is another lighthouse running? choose another with --port)"],
                log.Stderr.Where(line => line.StartsWith("lighthouse serve:", StringComparison.Ordinal)));
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public async Task An_http_port_in_use_is_one_clear_line_and_exit_1()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;

            var (exitCode, log) = await RunAsync(["serve", "--port", "0", "--http-port", port.ToString(), "--no-local-worker"]);

            Assert.Equal(1, exitCode);
            Assert.Equal([$"lighthouse serve: cannot serve the web monitor on http://127.0.0.1:{port}: the port is already in use (choose another with --http-port, or turn it off with lighthouse.host.http.enabled = off)"],
                log.Stderr.Where(line => line.StartsWith("lighthouse serve:", StringComparison.Ordinal)));
        }
        finally
        {
            taken.Stop();
        }
    }
}
