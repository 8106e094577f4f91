using System.Globalization;
using System.Text.Json;
using Lighthouse.Client;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Chaos;

/// <summary>
/// The cluster under test, all on loopback: three scheduler hosts (<c>lighthouse serve --no-local-worker</c>, provider
/// postgresql on one <see cref="PostgresServer"/>) and three <c>lighthouse-worker</c>s. Each is a <see cref="Slot"/> with
/// fixed ports, so a host restarted after a fault comes back at its address; each incarnation logs to a file of its own.
/// A restarted host joins through the other two (never itself: only the first seed may start a new cluster).
/// </summary>
internal sealed class ChaosCluster : IAsyncDisposable
{
    public static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan AskLimit = TimeSpan.FromSeconds(3);

    private readonly ChaosOptions _options;
    private readonly string _config;
    private PostgresServer? _postgres;

    private ChaosCluster(ChaosOptions options, string config)
    {
        _options = options;
        _config = config;
        Hosts = Enumerable.Range(1, 3).Select(i => new Slot($"h{i}", true, FreePort(), FreePort(), null)).ToList();
        Workers =
        [
            new Slot("w1", false, 0, 0, null),
            new Slot("w2", false, 0, 0, "gpu=1"),
            new Slot("w3", false, 0, 0, "gpu=2"),
        ];
        Http = new HttpClient { Timeout = AskLimit };
    }

    /// <summary>A place in the cluster: a host (fixed cluster and HTTP ports) or a worker (a fixed node name), and its current incarnation.</summary>
    public sealed class Slot(string name, bool isHost, int port, int httpPort, string? resources)
    {
        public string Name { get; } = name;
        public bool IsHost { get; } = isHost;
        public int Port { get; } = port;
        public int HttpPort { get; } = httpPort;
        public string? Resources { get; } = resources;
        public ChaosProcess? Current { get; set; }
        public int Incarnations { get; set; }
        public string Address => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";
        public Uri Web => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}");

        /// <summary>Running and not paused: it can answer.</summary>
        public bool Live => Current is { HasExited: false, Paused: false };

        public override string ToString() => Name;
    }

    /// <summary>
    /// The scheduler's journal rows in sequence order, each with the writer that wrote it (one per scheduler incarnation),
    /// for the check that two schedulers never wrote at once.
    /// </summary>
    public async Task<IReadOnlyList<(long Sequence, string Writer)>> JournalWritersAsync(CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_postgres!.ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT sequence_number, writer_uuid FROM journal WHERE persistence_id = @id ORDER BY sequence_number", connection);
        command.Parameters.AddWithValue("id", Lighthouse.Persistence.DurabilitySettings.PersistenceId);
        var rows = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? "" : reader.GetString(1)));
        return rows;
    }

    public IReadOnlyList<Slot> Hosts { get; }
    public IReadOnlyList<Slot> Workers { get; }
    public IEnumerable<Slot> All => Hosts.Concat(Workers);

    /// <summary>The harness's own client (for nodes, queues and the final check), knowing all three hosts.</summary>
    public LighthouseClient Admin { get; private set; } = null!;

    /// <summary>For the harness's reads of <c>/api/cluster</c>; short timeouts.</summary>
    public HttpClient Http { get; }

    public IEnumerable<string> HostAddresses => Hosts.Select(h => h.Address);

    public static async Task<ChaosCluster> StartAsync(ChaosOptions options)
    {
        var config = Path.Combine(options.RunDirectory, "hosts.conf");
        var cluster = new ChaosCluster(options, config);
        try
        {
            cluster._postgres = await PostgresServer.StartAsync(options.RepositoryRoot);
            // Retention far beyond the run: the checker reads every task at the end, collected ones included.
            await File.WriteAllTextAsync(config, $$"""
                lighthouse.persistence {
                  provider = postgresql
                  connection-string = "{{cluster._postgres.ConnectionString()}}"
                }
                lighthouse.scheduler {
                  result-ttl = 3h
                  collected-result-retention = 3h
                }
                """);
            // The first host starts the cluster; the others join it, one at a time (so the first stays the oldest).
            await cluster.StartHostAsync(cluster.Hosts[0], seeds: []);
            foreach (var host in cluster.Hosts.Skip(1)) await cluster.StartHostAsync(host, [cluster.Hosts[0]]);
            foreach (var worker in cluster.Workers) await cluster.StartWorkerAsync(worker);
            cluster.Admin = await LighthouseClient.ConnectAsync(cluster.HostAddresses, new LighthouseClientOptions { RequestTimeout = AskLimit * 2, LogLevel = "OFF" });
            var limit = DateTimeOffset.UtcNow + StartLimit;
            while (await cluster.MissingAsync() is { } missing)
            {
                if (DateTimeOffset.UtcNow > limit) throw new TimeoutException($"the cluster did not form within {StartLimit}: {missing}");
                await Task.Delay(200);
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a new incarnation of <paramref name="slot"/> (a host joins through the other hosts) and waits for its start line.</summary>
    public Task RestartAsync(Slot slot)
    {
        slot.Current?.Dispose();
        return slot.IsHost ? StartHostAsync(slot, Hosts.Where(h => h != slot).ToList()) : StartWorkerAsync(slot);
    }

    private async Task StartHostAsync(Slot slot, IReadOnlyList<Slot> seeds)
    {
        var process = Launch(slot, _options.HostDll,
            ["serve", "--config", _config, "--port", Text(slot.Port), "--http-port", Text(slot.HttpPort), "--no-local-worker"],
            seeds.Count == 0 ? new Dictionary<string, string>() : new Dictionary<string, string> { ["LIGHTHOUSE_SEEDS"] = string.Join(',', seeds.Select(s => s.Address)) });
        await process.WaitForLineAsync(line => line.StartsWith("lighthouse up at ", StringComparison.Ordinal), StartLimit, "the host's up line");
    }

    private async Task StartWorkerAsync(Slot slot)
    {
        List<string> arguments = ["--name", slot.Name, "--slots", Text(_options.Slots)];
        foreach (var host in Hosts) arguments.AddRange(["--seed", host.Address]);
        if (slot.Resources is { } resources) arguments.AddRange(["--resources", resources]);
        var process = Launch(slot, _options.WorkerDll, arguments, new Dictionary<string, string>());
        await process.WaitForLineAsync(line => line.StartsWith($"lighthouse-worker: node \"{slot.Name}\"", StringComparison.Ordinal), StartLimit, "the worker's start line");
    }

    private ChaosProcess Launch(Slot slot, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        slot.Incarnations++;
        var name = $"{slot.Name}#{slot.Incarnations}";
        // Hosts keep nothing on disk (their journal is PostgreSQL), but a default data home must not be the machine's.
        var home = Path.Combine(_options.RunDirectory, "home-" + name.Replace('#', '-'));
        Directory.CreateDirectory(home);
        var all = new Dictionary<string, string>(environment) { ["XDG_DATA_HOME"] = home };
        slot.Current = ChaosProcess.Start(name, dll, arguments, all, Path.Combine(_options.RunDirectory, name.Replace('#', '-') + ".log"));
        return slot.Current;
    }

    /// <summary>
    /// The host that runs the scheduler now, as a live host's <c>/api/cluster</c> names it (the oldest Up member of role
    /// scheduler); null when no live host answers or none names one.
    /// </summary>
    public async Task<Slot?> SchedulerHostAsync()
    {
        foreach (var host in Hosts.Where(h => h.Live))
        {
            var view = await ClusterViewAsync(host);
            if (view?.SchedulerPort is { } port) return Hosts.FirstOrDefault(h => h.Port == port);
        }
        return null;
    }

    /// <summary>
    /// Null when the cluster is whole: every slot running and not paused, every host seeing three Up, reachable scheduler
    /// members and nobody unreachable, and the scheduler listing w1–w3 reachable. Otherwise what is missing.
    /// </summary>
    public async Task<string?> MissingAsync()
    {
        if (All.FirstOrDefault(s => !s.Live) is { } down) return $"{down.Name} is not running";
        foreach (var host in Hosts)
        {
            var view = await ClusterViewAsync(host);
            if (view is null) return $"{host.Name} does not answer GET /api/cluster";
            if (view.UpSchedulers != 3 || view.Unreachable > 0)
                return $"{host.Name} sees {view.UpSchedulers} Up scheduler members and {view.Unreachable} unreachable";
        }
        try
        {
            var nodes = (await Admin.GetNodesAsync().WaitAsync(AskLimit * 2)).Nodes;
            var missing = Workers.Where(w => !nodes.Any(n => n.Node == w.Name && n.State == WorkerNodeState.Reachable)).ToList();
            return missing.Count == 0 ? null : $"worker nodes {string.Join(", ", missing)} are not registered and reachable";
        }
        catch (Exception e) when (e is LighthouseException or TimeoutException)
        {
            return $"the scheduler does not answer: {e.Message}";
        }
    }

    private sealed record ClusterRead(int? SchedulerPort, int UpSchedulers, int Unreachable);

    private async Task<ClusterRead?> ClusterViewAsync(Slot host)
    {
        if (!host.Live) return null;
        try
        {
            using var json = await JsonDocument.ParseAsync(await Http.GetStreamAsync(new Uri(host.Web, "/api/cluster")));
            var root = json.RootElement;
            int? port = root.GetProperty("scheduler_host").GetString() is { } address ? PortOf(address) : null;
            var members = root.GetProperty("members").EnumerateArray().ToList();
            var up = members.Count(m => m.GetProperty("status").GetString() == "up" && m.GetProperty("reachable").GetBoolean()
                                        && m.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "scheduler"));
            var unreachable = members.Count(m => !m.GetProperty("reachable").GetBoolean());
            return new ClusterRead(port, up, unreachable);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static int PortOf(string akkaAddress) => int.Parse(akkaAddress[(akkaAddress.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (Admin is not null)
        {
            try { await Admin.DisposeAsync(); }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException) { }
        }
        foreach (var slot in All) slot.Current?.Dispose();
        Http.Dispose();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try { return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
