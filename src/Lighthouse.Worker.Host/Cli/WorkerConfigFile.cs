using Akka.Configuration;
using Akka.Configuration.Hocon;
using Lighthouse.Protocol;

namespace Lighthouse.Worker.Cli;

/// <summary>
/// A worker's HOCON config file: Akka settings (e.g. <c>akka.remote.dot-netty.tcp.hostname</c>) and the
/// <c>lighthouse.worker</c> section, whose keys mirror the command line:
/// <code>
/// lighthouse.worker {
///   name = "gpu-box-1"
///   slots = 8
///   resources { cpu = 8, gpu = 2, ssd = 0, dmz = "-Infinity" }
///   priority-range = "0:10"
///   seeds = ["10.0.0.1:4053", "10.0.0.2:4053"]
///   port = 4054
/// }
/// </code>
/// </summary>
internal sealed class WorkerConfigFile
{
    public const string Section = "lighthouse.worker";

    private WorkerConfigFile(string path, Config config)
    {
        Path = path;
        Config = config;
    }

    public string Path { get; }
    public Config Config { get; }

    public string? Name { get; private init; }
    public int? Slots { get; private init; }
    public SortedDictionary<string, double>? Resources { get; private init; }
    public PriorityRange? Priorities { get; private init; }
    public IReadOnlyList<SeedNode>? Seeds { get; private init; }
    public int? Port { get; private init; }

    public static WorkerConfigFile Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WorkerUsageException($"--config \"{path}\": cannot read it: {e.Message}");
        }

        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(text);
        }
        catch (Exception e)
        {
            throw new WorkerUsageException($"--config \"{path}\": not valid HOCON: {e.Message}");
        }

        if (!config.HasPath(Section)) return new WorkerConfigFile(path, config);
        var section = config.GetConfig(Section);
        string Where(string key) => $"{path}: {Section}.{key}";
        string? Text(string key) => section.HasPath(key) ? section.GetString(key) : null;

        return new WorkerConfigFile(path, config)
        {
            Name = Text("name") is { } name ? LaunchValues.Name(name, Where("name")) : null,
            Slots = Text("slots") is { } slots ? LaunchValues.Slots(slots, Where("slots")) : null,
            Priorities = Text("priority-range") is { } range ? LaunchValues.Priorities(range, Where("priority-range")) : null,
            Port = Text("port") is { } port ? LaunchValues.Port(port, Where("port"), port, allowZero: true) : null,
            Seeds = section.HasPath("seeds") ? section.GetStringList("seeds").Select(s => LaunchValues.Seed(s, Where("seeds"))).ToList() : null,
            Resources = section.HasPath("resources") ? ReadResources(section.GetConfig("resources"), Where("resources")) : null,
        };
    }

    private static SortedDictionary<string, double> ReadResources(Config resources, string where)
    {
        var read = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in resources.AsEnumerable())
        {
            if (WorkerHubOptions.ResourceNameProblem(name) is { } problem)
                throw new WorkerUsageException($"{where}: {problem}");
            if (!value.IsString())
                throw new WorkerUsageException($"{where}.{name}: expected a quantity (a number, \"Infinity\" or \"-Infinity\"), got an object or a list");
            read[name] = LaunchValues.Quantity(value.GetString(), name, $"{where}.{name}", value.GetString());
        }
        return read;
    }
}
