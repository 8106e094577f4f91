using Lighthouse.Client;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;

namespace Lighthouse.IntegrationTests.EndToEnd;

/// <summary>
/// One host (<c>--no-local-worker</c>, its own data directory) and worker processes on loopback, with a client from
/// outside the cluster. Disposing it stops the client and kills every process, whatever the test's outcome.
/// </summary>
public sealed class EndToEndCluster : IAsyncDisposable
{
    /// <summary>The bound of every wait: generous, because the machine has 2 cores and may be loaded; nothing here measures speed.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private readonly LocalCluster _cluster = new();
    private readonly HostDataDirectory _data = new();
    private readonly Dictionary<string, WorkerProcess> _workers = [];
    private int _disposed;

    private EndToEndCluster()
    {
    }

    public HostProcess Host { get; private set; } = null!;

    public LighthouseClient Client { get; private set; } = null!;

    /// <summary>The current process of each worker name (a restarted worker replaces its predecessor).</summary>
    public IReadOnlyDictionary<string, WorkerProcess> Workers => _workers;

    /// <summary>A worker to start: its node name, slots and any further <c>lighthouse-worker</c> arguments.</summary>
    public sealed record Worker(string Name, int Slots = 2, params string[] Arguments);

    /// <summary>
    /// Starts the host, then each worker in turn, waiting for each to register before the next starts, so that the
    /// registration order (which the prioritized strategy follows) is the order given.
    /// </summary>
    public static async Task<EndToEndCluster> StartAsync(params Worker[] workers)
    {
        var cluster = new EndToEndCluster();
        try
        {
            cluster.Host = await cluster._cluster.StartHostAsync(arguments: await cluster._data.ServeArgumentsAsync());
            cluster.Client = await cluster._cluster.ConnectAsync(cluster.Host, new LighthouseClientOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
            foreach (var worker in workers) await cluster.StartWorkerAsync(worker);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a worker process and waits until its node is registered and reachable.</summary>
    public async Task<WorkerProcess> StartWorkerAsync(Worker worker)
    {
        var process = await _cluster.StartWorkerAsync(Host, worker.Name, worker.Slots, worker.Arguments);
        _workers[worker.Name] = process;
        await NodeAsync(worker.Name, n => n is { State: WorkerNodeState.Reachable }, "registered and reachable");
        return process;
    }

    /// <summary>Polls the nodes until <paramref name="node"/>'s view (null when not registered) satisfies <paramref name="done"/>.</summary>
    public Task<NodeView?> NodeAsync(string node, Func<NodeView?, bool> done, string what) =>
        Eventually.Until(async () => (await Client.GetNodesAsync()).Nodes.SingleOrDefault(n => n.Node == node), done, Limit, $"node {node} {what}");

    /// <summary>Polls the task until <paramref name="done"/> holds.</summary>
    public Task<TaskInfo> TaskAsync(string id, Func<TaskInfo, bool> done, string what) =>
        Eventually.Until(() => Client.GetAsync(id), done, Limit, $"task {id} {what}");

    /// <summary>The task's final status, through the client's <see cref="LighthouseClient.WaitAsync"/>.</summary>
    public Task<TaskInfo> FinishedAsync(string id) => Client.WaitAsync(id).WaitAsync(Limit);

    /// <summary>Every process's output, for a failure message.</summary>
    public string Logs() => _cluster.Logs();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await _cluster.DisposeAsync();
        }
        finally
        {
            _data.Dispose();
        }
    }
}
