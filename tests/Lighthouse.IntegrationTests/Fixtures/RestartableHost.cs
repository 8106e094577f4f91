namespace Lighthouse.IntegrationTests.Fixtures;

/// <summary>
/// <c>lighthouse serve</c> on its default SQLite journal in a data directory of its own, on fixed free ports, so that it
/// can be killed with SIGKILL and started again as the same host: same journal, same cluster port (its workers rejoin
/// through it as their seed), same HTTP port (a test's <see cref="HttpClient"/> keeps its base address). Every
/// incarnation is tracked by the <see cref="LocalCluster"/>, so it is killed when the test ends; disposing this kills the
/// running one and deletes the data directory.
/// <code>
/// await using var host = new RestartableHost(cluster);
/// await host.StartAsync();
/// await host.KillHardAsync();
/// await host.StartAsync();   // recovers from the same journal
/// </code>
/// </summary>
public sealed class RestartableHost(LocalCluster cluster, params string[] arguments) : IAsyncDisposable
{
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(30);

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "lighthouse-it-restart-" + Guid.NewGuid().ToString("N")[..8]);

    public int Port { get; } = FreePort.Next();

    public int HttpPort { get; } = FreePort.Next();

    public Uri Http => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>The incarnation running now (or the last one).</summary>
    public HostProcess Current => _current ?? throw new InvalidOperationException("the host was not started");

    private HostProcess? _current;

    /// <summary>Starts an incarnation (without a local worker) and waits for its "up" line: the scheduler has recovered and answers.</summary>
    public async Task<HostProcess> StartAsync()
    {
        if (_current is { HasExited: false }) throw new InvalidOperationException($"{_current} still runs");
        _current = cluster.Track(HostProcess.Launch(
            ["serve", "--port", Port.ToString(), "--http-port", HttpPort.ToString(), "--no-local-worker", "--data-dir", DataDir, .. arguments],
            port: Port, httpPort: HttpPort));
        await _current.WaitUntilUpAsync();
        return _current;
    }

    /// <summary><c>kill -9</c> of the running incarnation, returning once it is gone (its ports free again).</summary>
    public async Task KillHardAsync()
    {
        Current.KillHard();
        await Current.WaitForExitAsync(ExitLimit);
    }

    public async ValueTask DisposeAsync()
    {
        if (_current is not null) await _current.DisposeAsync();
        try { Directory.Delete(DataDir, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
