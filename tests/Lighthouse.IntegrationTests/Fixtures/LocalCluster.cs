using Lighthouse.Client;

namespace Lighthouse.IntegrationTests.Fixtures;

/// <summary>
/// The processes and clients of one test, all on loopback: hosts, workers and <see cref="LighthouseClient"/>s started
/// through it are stopped when it is disposed, whatever the test's outcome (clients first, then processes, killed).
/// <code>
/// await using var cluster = new LocalCluster();
/// var host = await cluster.StartHostAsync();
/// var worker = await cluster.StartWorkerAsync(host, "w1");
/// var client = await cluster.ConnectAsync(host);
/// </code>
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<ManagedProcess> _processes = [];
    private readonly List<LighthouseClient> _clients = [];

    public IReadOnlyList<ManagedProcess> Processes => _processes;

    public async Task<HostProcess> StartHostAsync(bool localWorker = false, IEnumerable<string>? arguments = null, IReadOnlyDictionary<string, string>? environment = null) =>
        Track(await HostProcess.StartAsync(localWorker, arguments, environment));

    public async Task<WorkerProcess> StartWorkerAsync(HostProcess seed, string name, int slots = 2, IEnumerable<string>? arguments = null) =>
        Track(await WorkerProcess.StartAsync(seed.Port, name, slots, arguments));

    /// <summary>Adds a process started elsewhere, so it is stopped with the others.</summary>
    public T Track<T>(T process) where T : ManagedProcess
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>A client of <paramref name="host"/> from outside its cluster, as an application or the command line is.</summary>
    public async Task<LighthouseClient> ConnectAsync(HostProcess host, LighthouseClientOptions? options = null)
    {
        var client = await LighthouseClient.ConnectAsync(host.Address, options ?? new LighthouseClientOptions { RequestTimeout = TimeSpan.FromSeconds(20) });
        _clients.Add(client);
        return client;
    }

    /// <summary>Every process's output, for a failure message.</summary>
    public string Logs() => string.Join("\n", _processes.Select(p => $"--- {p}\n{p.Log}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        foreach (var process in _processes) await process.DisposeAsync();
    }
}
