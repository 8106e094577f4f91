using System.Text.RegularExpressions;

namespace Lighthouse.IntegrationTests.Fixtures;

/// <summary>
/// <c>lighthouse serve</c> as a real process on loopback, on free ports picked for it. <see cref="StartAsync"/> returns
/// once the host printed its "up" line, i.e. its scheduler answers; <see cref="Launch"/> only starts it (for tests of
/// refusals and start failures).
/// </summary>
public sealed partial class HostProcess : ManagedProcess
{
    public static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    /// <summary>Every host's data home of this test run, deleted when the run ends.</summary>
    private static readonly string DataHomes = Path.Combine(Path.GetTempPath(), "lighthouse-it-" + Environment.ProcessId);

    static HostProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try { Directory.Delete(DataHomes, recursive: true); }
        catch (IOException) { }
    };

    private HostProcess(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, int port, int httpPort)
        : base("host", "lighthouse.dll", arguments, WithOwnDataHome(environment))
    {
        Port = port;
        HttpPort = httpPort;
    }

    /// <summary>
    /// A host keeps its scheduler's journal under $XDG_DATA_HOME (lighthouse serve's default persistence is SQLite):
    /// each host process gets a fresh one, so no test recovers another's tasks and the machine's home stays clean.
    /// A test that restarts a host on the same data passes --data-dir (or sets XDG_DATA_HOME) itself.
    /// </summary>
    private static IReadOnlyDictionary<string, string> WithOwnDataHome(IReadOnlyDictionary<string, string>? environment)
    {
        var all = new Dictionary<string, string>(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (!all.ContainsKey("XDG_DATA_HOME"))
        {
            var home = Path.Combine(DataHomes, Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(home);
            all["XDG_DATA_HOME"] = home;
        }
        return all;
    }

    /// <summary>The cluster port.</summary>
    public int Port { get; }

    public int HttpPort { get; }

    /// <summary><c>127.0.0.1:PORT</c>: what clients' <c>--host</c> and workers' <c>--seed</c> take.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public string AkkaAddress => $"akka.tcp://lighthouse@127.0.0.1:{Port}";

    public Uri Http => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>The "up" line, once <see cref="StartAsync"/> has seen it.</summary>
    public LogLine? UpLine { get; private set; }

    /// <summary>The line a host prints once it is up: <c>lighthouse up at ADDRESS (scheduler singleton: ..., local worker: ..., monitor: ...)</c>.</summary>
    [GeneratedRegex(@"^lighthouse up at (?<address>akka(\.ssl)?\.tcp://lighthouse@[^ ]+) \(scheduler singleton: (?<singleton>[^,]+), local worker: (?<worker>[^,]+), monitor: (?<monitor>[^)]+)\)$")]
    public static partial Regex UpLinePattern();

    /// <summary>
    /// Starts a host with <c>serve --port P --http-port H</c> (free ports) plus <paramref name="arguments"/>, and waits
    /// for its "up" line. The local worker is off unless <paramref name="localWorker"/>.
    /// </summary>
    public static async Task<HostProcess> StartAsync(bool localWorker = false, IEnumerable<string>? arguments = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort.Next();
        var httpPort = FreePort.Next();
        List<string> all = ["serve", "--port", port.ToString(), "--http-port", httpPort.ToString()];
        if (!localWorker) all.Add("--no-local-worker");
        all.AddRange(arguments ?? []);
        var host = new HostProcess(all, environment, port, httpPort);
        try
        {
            await host.WaitUntilUpAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <c>lighthouse</c> with exactly <paramref name="arguments"/> and returns at once.</summary>
    public static HostProcess Launch(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null, int port = 0, int httpPort = 0) =>
        new(arguments, environment, port, httpPort);

    /// <summary>Waits for the "up" line (bounded by <see cref="StartLimit"/>).</summary>
    public async Task<LogLine> WaitUntilUpAsync()
    {
        UpLine = await WaitForLineAsync(line => UpLinePattern().IsMatch(line), StartLimit, "the \"lighthouse up at\" line");
        return UpLine;
    }
}
