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
///   nice = 5
///   task-nice = 10               # the built-in handlers' threads
///   downing = lease-majority     # the hosts' lighthouse.host.downing
///   lanes = [                    # instead of slots and priority-range
///     { slots = 4, min-priority = 0, max-priority = 9, nice = 10 }
///     { slots = 4, min-priority = 10, max-priority = 99 }
///   ]
///   exec {
///     render { command = ["python3", "/srv/render.py"], timeout = 10m, nice = 10,
///              working-directory = "/srv", environment { MODE = "fast" }, stop-grace = 5s }
///   }
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
    public int? Nice { get; private init; }
    public int? TaskNice { get; private init; }
    public string? Downing { get; private init; }
    public IReadOnlyList<ExecHandler>? Exec { get; private init; }
    public IReadOnlyList<WorkerLane>? Lanes { get; private init; }

    /// <summary>The keys a lane of <c>lighthouse.worker.lanes</c> may have.</summary>
    public static readonly IReadOnlyList<string> LaneKeys = ["max-priority", "min-priority", "nice", "slots"];

    /// <summary>The keys a handler of <c>lighthouse.worker.exec</c> may have.</summary>
    public static readonly IReadOnlyList<string> ExecKeys = ["command", "environment", "nice", "stop-grace", "timeout", "working-directory"];

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

        var lanes = section.HasPath("lanes") ? ReadLanes(section.GetValue("lanes"), Where("lanes")) : null;
        if (lanes is not null && (section.HasPath("slots") || section.HasPath("priority-range")))
            throw new WorkerUsageException($"{Where("lanes")}: give lanes or slots and priority-range, not both: with lanes, the worker's slots are theirs");
        return new WorkerConfigFile(path, config)
        {
            Lanes = lanes,
            Name = Text("name") is { } name ? LaunchValues.Name(name, Where("name")) : null,
            Slots = Text("slots") is { } slots ? LaunchValues.Slots(slots, Where("slots")) : null,
            Priorities = Text("priority-range") is { } range ? LaunchValues.Priorities(range, Where("priority-range")) : null,
            Port = Text("port") is { } port ? LaunchValues.Port(port, Where("port"), port, allowZero: true) : null,
            Seeds = section.HasPath("seeds") ? section.GetStringList("seeds").Select(s => LaunchValues.Seed(s, Where("seeds"))).ToList() : null,
            Resources = section.HasPath("resources") ? ReadResources(section.GetConfig("resources"), Where("resources")) : null,
            Nice = Text("nice") is { } nice ? LaunchValues.Nice(nice, Where("nice")) : null,
            TaskNice = Text("task-nice") is { } taskNice ? LaunchValues.TaskNice(taskNice, Where("task-nice")) : null,
            Downing = Text("downing") is { } downing ? LaunchValues.Downing(downing, Where("downing")) : null,
            Exec = section.HasPath("exec") ? ReadExec(section.GetValue("exec"), Where("exec")) : null,
        };
    }

    /// <summary>A list of lanes, each an object with <c>slots</c> and optionally <c>min-priority</c>, <c>max-priority</c> (none: no bound) and <c>nice</c>.</summary>
    private static IReadOnlyList<WorkerLane> ReadLanes(HoconValue value, string where)
    {
        const string Example = "lanes = [ { slots = 4, min-priority = 0, max-priority = 9, nice = 10 } ]";
        if (!value.IsArray()) throw new WorkerUsageException($"{where}: expected a list of lanes, e.g. {Example}");
        var lanes = new List<WorkerLane>();
        foreach (var item in value.GetArray())
        {
            var at = $"{where}[{lanes.Count}]";
            if (!item.IsObject()) throw new WorkerUsageException($"{at}: expected an object, e.g. {{ slots = 4, min-priority = 0, max-priority = 9, nice = 10 }}");
            var keys = item.GetObject().Items;
            if (keys.Keys.FirstOrDefault(key => !LaneKeys.Contains(key)) is { } unknown)
                throw new WorkerUsageException($"{at}.{unknown}: unknown key; a lane has {string.Join(", ", LaneKeys)}");
            if (!keys.TryGetValue("slots", out var slots))
                throw new WorkerUsageException($"{at}.slots is missing: a lane needs its number of slots");
            string Part(string key) => keys.TryGetValue(key, out var part) ? Scalar(part, $"{at}.{key}") : "";
            var text = $"{Scalar(slots, $"{at}.slots")}:{Part("min-priority")}:{Part("max-priority")}" + (keys.ContainsKey("nice") ? $":{Part("nice")}" : "");
            lanes.Add(LaunchValues.Lane(text, at));
        }
        return LaunchValues.Lanes(lanes, where);
    }

    private static List<ExecHandler> ReadExec(HoconValue exec, string where)
    {
        if (!exec.IsObject()) throw new WorkerUsageException($"{where}: expected an object of handlers by task name, e.g. exec {{ render {{ command = [\"python3\", \"/srv/render.py\"] }} }}");
        var handlers = new List<ExecHandler>();
        foreach (var (name, value) in exec.GetObject().Items)
        {
            var at = $"{where}.{name}";
            if (NameRules.Problem(name, "task name") is { } problem) throw new WorkerUsageException($"{where}: {problem}");
            if (!value.IsObject()) throw new WorkerUsageException($"{at}: expected an object with a command, e.g. {{ command = [\"python3\", \"/srv/render.py\"] }}");
            var keys = value.GetObject().Items;
            if (keys.Keys.FirstOrDefault(key => !ExecKeys.Contains(key)) is { } unknown)
                throw new WorkerUsageException($"{at}.{unknown}: unknown key; a handler has {string.Join(", ", ExecKeys)}");
            if (!keys.TryGetValue("command", out var command))
                throw new WorkerUsageException($"{at}.command is missing: give the program and its arguments, e.g. command = [\"python3\", \"/srv/render.py\"]");
            var options = new Processes.ProcessHandlerOptions(Command(command, $"{at}.command"));
            try
            {
                if (keys.TryGetValue("working-directory", out var directory)) options.WorkingDirectory = Scalar(directory, $"{at}.working-directory");
                if (keys.TryGetValue("nice", out var nice)) options.Nice = LaunchValues.Nice(Scalar(nice, $"{at}.nice"), $"{at}.nice");
                if (keys.TryGetValue("timeout", out var timeout)) options.Timeout = Duration(timeout, $"{at}.timeout");
                if (keys.TryGetValue("stop-grace", out var grace)) options.StopGrace = Duration(grace, $"{at}.stop-grace");
                if (keys.TryGetValue("environment", out var environment))
                {
                    if (!environment.IsObject()) throw new WorkerUsageException($"{at}.environment: expected an object of variables, e.g. environment {{ MODE = \"fast\" }}");
                    foreach (var (variable, text) in environment.GetObject().Items) options.Environment[variable] = Scalar(text, $"{at}.environment.{variable}");
                }
            }
            catch (Exception e) when (e is not WorkerUsageException)
            {
                throw new WorkerUsageException($"{at}: {e.Message}");
            }
            if (options.Problem() is { } bad) throw new WorkerUsageException($"{at}: {bad}");
            handlers.Add(new ExecHandler(name, options, at));
        }
        return handlers;
    }

    /// <summary>A list of words, or one string split like a shell's words (<see cref="CommandWords"/>).</summary>
    private static IReadOnlyList<string> Command(HoconValue value, string where)
    {
        if (value.IsArray()) return value.GetArray().Select(word => Scalar(word, where)).ToList();
        // Akka's HOCON does not call [] a list (nor a string, nor an object): it is an empty command.
        if (!value.IsString() && !value.IsObject() && value.GetArray() is { Count: 0 }) return [];
        try
        {
            return CommandWords.Split(Scalar(value, where));
        }
        catch (FormatException bad)
        {
            throw new WorkerUsageException($"{where}: {bad.Message}");
        }
    }

    private static string Scalar(HoconValue value, string where) =>
        value.IsString() ? value.GetString() : throw new WorkerUsageException($"{where}: expected a value, got an object or a list");

    private static TimeSpan Duration(HoconValue value, string where)
    {
        var text = Scalar(value, where);
        try
        {
            return value.GetTimeSpan(allowInfinite: false);
        }
        catch (Exception e)
        {
            throw new WorkerUsageException($"{where}: \"{text}\" is not a duration such as 30s or 10m ({e.Message})");
        }
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
