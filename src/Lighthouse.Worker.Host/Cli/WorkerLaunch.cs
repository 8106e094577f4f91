using System.Globalization;
using System.Text;
using Akka.Configuration;
using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;
using Lighthouse.Security;

namespace Lighthouse.Worker.Cli;

/// <summary>
/// Everything the runnable worker starts with, resolved from the command line over the config file over the
/// defaults. <see cref="Port"/> null keeps the configured port (0, any free one, unless the file sets one).
/// <see cref="Tls"/> is the worker's loaded and checked certificate (role worker), or null for plaintext.
/// </summary>
public sealed record WorkerLaunch(
    string? ConfigFile,
    Config FileConfig,
    IReadOnlyList<SeedNode> Seeds,
    string? Name,
    int Slots,
    IReadOnlyDictionary<string, double> Resources,
    PriorityRange Priorities,
    int? Port,
    TlsCredentials? Tls = null,
    bool InsecureOffLoopback = false,
    IReadOnlyList<ExecHandler>? Exec = null,
    int? Nice = null,
    IReadOnlyList<WorkerLane>? Lanes = null,
    int? TaskNice = null,
    string? Downing = null)
{
    private const string MaxPayloadKey = "lighthouse.scheduler.max-payload-bytes";
    private const string ActiveStrategy = "akka.cluster.split-brain-resolver.active-strategy";

    /// <summary>The process handlers, by task name: <c>--exec</c> and <c>lighthouse.worker.exec</c>.</summary>
    public IReadOnlyList<ExecHandler> ExecHandlers => Exec ?? [];

    /// <summary>
    /// The hub this launch runs: its declaration, the built-in handlers and the process handlers, whose results may be
    /// as large as the scheduler takes (<c>lighthouse.scheduler.max-payload-bytes</c> of this worker's configuration).
    /// </summary>
    public WorkerHub CreateHub()
    {
        var config = AkkaConfig();
        var maxResult = config.HasPath(MaxPayloadKey) && config.GetByteSize(MaxPayloadKey) is { } bytes
            ? (int)Math.Clamp(bytes, 1, int.MaxValue)
            : Processes.ProcessHandlerOptions.DefaultMaxResultBytes;
        return WorkerHub.Create(options =>
        {
            options.NodeName = Name;
            options.Slots = Slots;
            options.Priorities = Priorities;
            options.TaskNice = TaskNice;
            foreach (var lane in Lanes ?? []) options.Lane(lane.Slots, lane.Priorities.Min, lane.Priorities.Max, lane.Nice);
            foreach (var (name, quantity) in Resources) options.Resource(name, quantity);
            options.AddBuiltInHandlers();
            foreach (var exec in ExecHandlers)
            {
                options.Exec(exec.TaskName, exec.Options.Command, o =>
                {
                    o.WorkingDirectory = exec.Options.WorkingDirectory;
                    o.Timeout = exec.Options.Timeout;
                    o.Nice = exec.Options.Nice;
                    o.StopGrace = exec.Options.StopGrace;
                    o.MaxResultBytes = maxResult;
                    foreach (var (name, value) in exec.Options.Environment) o.Environment[name] = value;
                });
            }
        });
    }

    /// <summary>
    /// The ActorSystem's configuration: seeds, port and the <c>worker</c> role over the file, over the worker
    /// defaults, over the protocol serializer's bindings (which every node of a Lighthouse cluster needs).
    /// </summary>
    public Config AkkaConfig()
    {
        var roles = FileConfig.HasPath("akka.cluster.roles") ? FileConfig.GetStringList("akka.cluster.roles").ToList() : [];
        if (!roles.Contains(LighthouseNames.WorkerRole)) roles.Add(LighthouseNames.WorkerRole);

        var hocon = new StringBuilder();
        hocon.AppendLine($"akka.cluster.seed-nodes = [{string.Join(", ", Seeds.Select(s => Quote(s.AddressFor(Tls is not null))))}]");
        hocon.AppendLine($"akka.cluster.roles = [{string.Join(", ", roles.Select(Quote))}]");
        // The hosts' rule (docs/durability.md "How many scheduler hosts"): a worker may lead, and then its resolver decides.
        if (Downing is "keep-majority" or "lease-majority") hocon.AppendLine($"{ActiveStrategy} = {Downing}");
        if (Port is { } port) hocon.AppendLine($"akka.remote.dot-netty.tcp.port = {port.ToString(CultureInfo.InvariantCulture)}");
        return ConfigurationFactory.ParseString(hocon.ToString())
            .WithFallback(Tls is null ? ConfigurationFactory.ParseString("") : RemoteTls.TransportConfig)
            .WithFallback(FileConfig)
            .WithFallback(ConfigurationFactory.ParseString(WorkerDefaults.Hocon))
            .WithFallback(LighthouseConfig.Defaults);
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
