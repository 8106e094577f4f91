using System.CommandLine;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Worker.Cli;

/// <summary>
/// <c>lighthouse-worker [--config FILE] [--seed HOST:PORT]... [--name N] [--slots N] [--resources cpu=4,gpu=1]
/// [--priority-range MIN:MAX] [--lane SLOTS:MIN:MAX[:NICE]]... [--port P] [--exec NAME=COMMAND]... [--nice N] [--task-nice N] [--downing RULE]</c>. Values are read by <see cref="LaunchValues"/> so the command line and
/// the config file refuse the same things with the same words; any bad argument is one line on stderr and exit 2.
/// </summary>
public static class WorkerCommandLine
{
    public const string Name = "lighthouse-worker";

    /// <summary>Exit code of bad arguments, as for <c>lighthouse</c>.</summary>
    public const int BadInput = 2;

    private const string Description =
        "A Lighthouse worker node with the built-in handlers echo, sleep, fail and cpu: it joins the cluster " +
        "through the seeds, registers with the scheduler and runs the tasks it is given.";

    private const string Details =
        """

        The config file is HOCON: Akka settings (e.g. akka.remote.dot-netty.tcp.hostname for a worker on another
        machine) and a lighthouse.worker section with the same values as the options, which override it:
          lighthouse.worker {
            name = "gpu-box-1", slots = 8, priority-range = "0:10", port = 4054
            resources { cpu = 8, gpu = 2, ssd = 0, dmz = "-Infinity" }
            seeds = ["10.0.0.1:4053"]
          }
        Lanes (docs/workers.md), instead of --slots and --priority-range: --lane 4:0:9:10 --lane 4:10:99 --lane 4:100:1000
        is 4 slots for priorities 0 to 9 whose processes run at nice 10, 4 for 10 to 99 and 4 for 100 to 1000; in the file
          lighthouse.worker.lanes = [ { slots = 4, min-priority = 0, max-priority = 9, nice = 10 }, ... ]
        Process handlers (docs/workers.md): --exec 'render=python3 /srv/render.py', or in the file
          lighthouse.worker.exec { render { command = ["python3", "/srv/render.py"], timeout = 10m, nice = 10,
                                            working-directory = "/srv", environment { MODE = "fast" } } }
        TLS: lighthouse.tls { certificate, key, ca } in the file, or the options; with a certificate the node name is
        the one it carries. Off loopback a worker needs TLS, or --insecure.
        Resources: a bare name is a tag (0); -Infinity is a ward. Priority range: an empty side has no bound.
        A worker the cluster removes (downed after a long pause or a partition) cancels its running tasks
        and joins again through its seeds as a new member under the same name; it does not exit.
        Exit codes: 0 stopped on request (Ctrl-C, SIGTERM), 1 could not start its ActorSystem (again), 2 bad arguments.
        """;

    private sealed record Options(
        Option<string> Config,
        Option<string[]> Seeds,
        Option<string> Name,
        Option<string> Slots,
        Option<string> Resources,
        Option<string> Priorities,
        Option<string> Port,
        Option<string> TlsCertificate,
        Option<string> TlsKey,
        Option<string> TlsAuthority,
        Option<bool> Insecure,
        Option<string[]> Exec,
        Option<string> Nice,
        Option<string[]> Lanes,
        Option<string> TaskNice,
        Option<string> Downing);

    /// <summary>Runs the worker until it is stopped; bad arguments print one line on <paramref name="stderr"/> and return 2.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var (root, options) = Build();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"{Name}: {parsed.Errors[0].Message} (see {Name} --help)");
            return BadInput;
        }
        // The root has no action of its own: an action here is --help or --version.
        if (parsed.Action is not null)
            return parsed.Invoke(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });

        WorkerLaunch launch;
        try
        {
            launch = Resolve(parsed, options);
        }
        catch (WorkerUsageException bad)
        {
            stderr.WriteLine($"{Name}: {bad.Message}");
            return BadInput;
        }
        return await WorkerProcess.RunAsync(launch, stdout, stderr);
    }

    /// <summary>The launch the arguments ask for; throws <see cref="WorkerUsageException"/> with one line saying what is wrong.</summary>
    public static WorkerLaunch Parse(string[] args)
    {
        var (root, options) = Build();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0) throw new WorkerUsageException(parsed.Errors[0].Message);
        return Resolve(parsed, options);
    }

    private static WorkerLaunch Resolve(ParseResult parsed, Options options)
    {
        var file = parsed.GetValue(options.Config) is { } path ? WorkerConfigFile.Read(path) : null;

        var seeds = parsed.GetValue(options.Seeds) is { Length: > 0 } given
            ? given.Select(s => LaunchValues.Seed(s, "--seed")).ToList()
            : file?.Seeds ?? [SeedNode.Local];
        if (seeds.Count == 0) throw new WorkerUsageException($"{file!.Path}: {WorkerConfigFile.Section}.seeds is empty: a worker needs a seed to join");

        var name = parsed.GetValue(options.Name) is { } n ? LaunchValues.Name(n, "--name") : file?.Name;
        var slotsGiven = parsed.GetValue(options.Slots);
        var rangeGiven = parsed.GetValue(options.Priorities);
        var lanes = Lanes(parsed.GetValue(options.Lanes) ?? [], slotsGiven is not null || rangeGiven is not null, file);
        var slots = slotsGiven is { } s ? LaunchValues.Slots(s, "--slots") : file?.Slots ?? Environment.ProcessorCount;
        var resources = parsed.GetValue(options.Resources) is { } r ? LaunchValues.Resources(r, "--resources") : file?.Resources ?? [];
        var priorities = parsed.GetValue(options.Priorities) is { } p ? LaunchValues.Priorities(p, "--priority-range") : file?.Priorities ?? PriorityRange.All;
        var port = parsed.GetValue(options.Port) is { } port0 ? LaunchValues.Port(port0, "--port", port0, allowZero: true) : file?.Port;

        var nice = parsed.GetValue(options.Nice) is { } nice0 ? LaunchValues.Nice(nice0, "--nice") : file?.Nice;
        var taskNice = parsed.GetValue(options.TaskNice) is { } taskNice0 ? LaunchValues.TaskNice(taskNice0, "--task-nice") : file?.TaskNice;
        var exec = ExecHandlers(parsed.GetValue(options.Exec) ?? [], file?.Exec ?? []);
        var downing = parsed.GetValue(options.Downing) is { } downing0 ? LaunchValues.Downing(downing0, "--downing") : file?.Downing;

        var launch = new WorkerLaunch(file?.Path, file?.Config ?? Akka.Configuration.Config.Empty, seeds, name, slots, resources, priorities, port,
            Exec: exec, Nice: nice, Lanes: lanes, TaskNice: taskNice, Downing: downing);
        return WithTls(launch, parsed, options);
    }

    /// <summary>
    /// The lanes: the <c>--lane</c> options, all of them replacing the file's; else the file's lanes unless <c>--slots</c> or
    /// <c>--priority-range</c> replace them. Lanes and <c>--slots</c>/<c>--priority-range</c> on one command line are refused.
    /// </summary>
    private static IReadOnlyList<WorkerLane>? Lanes(string[] given, bool slotsOrRangeGiven, WorkerConfigFile? file)
    {
        if (given.Length == 0) return slotsOrRangeGiven ? null : file?.Lanes;
        if (slotsOrRangeGiven)
            throw new WorkerUsageException("--lane and --slots or --priority-range: give one or the other; with lanes, the worker's slots and priorities are the lanes'");
        return LaunchValues.Lanes(given.Select(text => LaunchValues.Lane(text, "--lane")).ToList(), "--lane");
    }

    /// <summary>
    /// The process handlers: each <c>--exec</c>, and the file's handlers of other names (an <c>--exec</c> replaces the
    /// file's handler of its name, as every option overrides the file). A name given twice on the command line, or the
    /// name of a built-in handler, is refused.
    /// </summary>
    private static List<ExecHandler> ExecHandlers(string[] given, IReadOnlyList<ExecHandler> fromFile)
    {
        var handlers = new List<ExecHandler>();
        foreach (var text in given)
        {
            var handler = LaunchValues.Exec(text, "--exec");
            if (handlers.Any(h => h.TaskName == handler.TaskName))
                throw new WorkerUsageException($"--exec \"{text}\": task name \"{handler.TaskName}\" is given twice");
            handlers.Add(handler);
        }
        handlers.AddRange(fromFile.Where(f => handlers.All(h => h.TaskName != f.TaskName)));
        if (handlers.FirstOrDefault(h => BuiltInHandlers.Names.Contains(h.TaskName)) is { } clash)
            throw new WorkerUsageException($"{clash.Where}: task name \"{clash.TaskName}\" is a built-in handler of this worker ({string.Join(", ", BuiltInHandlers.Names)}); choose another name");
        return handlers;
    }

    /// <summary>
    /// The TLS files from the flags, else LIGHTHOUSE_TLS_*, else the file's <c>lighthouse.tls</c>: loaded and checked
    /// (a worker certificate; its name is the node name, and a different --name is refused), and the rule that a
    /// worker off loopback needs TLS unless --insecure.
    /// </summary>
    private static WorkerLaunch WithTls(WorkerLaunch launch, ParseResult parsed, Options options)
    {
        static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        var config = launch.AkkaConfig();
        var fromFile = TlsSettings.FromConfig(config);
        TlsCredentials? credentials;
        TlsSettings settings;
        try
        {
            settings = TlsSettings.Create(
                parsed.GetValue(options.TlsCertificate) ?? Variable("LIGHTHOUSE_TLS_CERT") ?? fromFile.CertificatePath,
                parsed.GetValue(options.TlsKey) ?? Variable("LIGHTHOUSE_TLS_KEY") ?? fromFile.KeyPath,
                parsed.GetValue(options.TlsAuthority) ?? Variable("LIGHTHOUSE_TLS_CA") ?? fromFile.AuthorityPath,
                parsed.GetValue(options.Insecure) || fromFile.Insecure,
                "--tls-cert, --tls-key and --tls-ca (or LIGHTHOUSE_TLS_CERT, _KEY and _CA, or lighthouse.tls in the config file)");
            credentials = settings.Load();
        }
        catch (TlsConfigurationException bad)
        {
            throw new WorkerUsageException(bad.Message);
        }
        if (credentials is { } tls)
        {
            if (tls.Identity.Role != LighthouseRole.Worker)
                throw new WorkerUsageException($"--tls-cert {settings.CertificatePath} is the certificate of {tls.Identity}; a worker needs one issued with --role worker");
            if (launch.Name is { } name && name != tls.Identity.Name)
                throw new WorkerUsageException($"--name \"{name}\" differs from the node name in the certificate, \"{tls.Identity.Name}\": a worker registers only the name its certificate carries");
            launch = launch with { Name = tls.Identity.Name, Tls = tls };
        }
        const string hostnameKey = "akka.remote.dot-netty.tcp.hostname";
        const string publicKey = "akka.remote.dot-netty.tcp.public-hostname";
        var bound = config.GetString(publicKey, "") is { Length: > 0 } published && !RemoteTls.IsLoopback(published) ? published : config.GetString(hostnameKey, "127.0.0.1");
        if (RemoteTls.RefusalToStart("this worker", bound, settings) is { } refusal) throw new WorkerUsageException(refusal);
        return launch with { InsecureOffLoopback = credentials is null && !RemoteTls.IsLoopback(bound) };
    }

    private static (RootCommand Root, Options Options) Build()
    {
        var options = new Options(
            new Option<string>("--config") { Description = "A HOCON file with Akka settings and a lighthouse.worker section.", HelpName = "FILE" },
            new Option<string[]>("--seed") { Description = "A cluster node to join through (repeatable). Default 127.0.0.1:4053.", HelpName = "HOST:PORT" },
            new Option<string>("--name") { Description = "The node's name in the scheduler. Default: machine name and cluster port.", HelpName = "N" },
            new Option<string>("--slots") { Description = "How many tasks run at once. Default: the processor count.", HelpName = "N" },
            new Option<string>("--resources") { Description = "Declared resources, e.g. cpu=4,gpu=1,ssd,dmz=-Infinity.", HelpName = "LIST" },
            new Option<string>("--priority-range") { Description = "The task priorities accepted, e.g. 0:10. Default: all.", HelpName = "MIN:MAX" },
            new Option<string>("--port") { Description = "The cluster port of this worker; 0 (default) takes any free one.", HelpName = "P" },
            new Option<string>("--tls-cert") { Description = "This worker's certificate (PEM, `lighthouse certs issue --role worker`); with --tls-key and --tls-ca turns on mutual TLS. Also LIGHTHOUSE_TLS_CERT.", HelpName = "FILE" },
            new Option<string>("--tls-key") { Description = "The certificate's private key (PEM). Also LIGHTHOUSE_TLS_KEY.", HelpName = "FILE" },
            new Option<string>("--tls-ca") { Description = "The cluster's CA certificate (PEM). Also LIGHTHOUSE_TLS_CA.", HelpName = "FILE" },
            new Option<bool>("--insecure") { Description = "Allow listening off loopback without TLS (a warning is logged). Only on a network you trust." },
            new Option<string[]>("--exec") { Description = "Run a program for each task of a name (repeatable): payload JSON on its stdin, result JSON on its stdout; see docs/workers.md. Words are split like a shell's; no shell runs.", HelpName = "NAME=COMMAND" },
            new Option<string>("--nice") { Description = "The OS priority (nice, -20..19) of this worker process; its task processes inherit it unless their handler sets one.", HelpName = "N" },
            new Option<string[]>("--lane") { Description = "A slot group (repeatable, instead of --slots and --priority-range): SLOTS tasks at once of priorities MIN to MAX, their processes at nice NICE (a value below the worker's own needs root or CAP_SYS_NICE). Lanes may not share a priority.", HelpName = "SLOTS:MIN:MAX[:NICE]" },
            new Option<string>("--task-nice") { Description = "The OS priority (nice, 0..19) of the threads running the built-in handlers, below the heartbeats' (Linux). Default: the worker's own, on the thread pool.", HelpName = "N" },
            new Option<string>("--downing") { Description = "The hosts' downing rule (their lighthouse.host.downing): keep-majority, lease-majority (two hosts on PostgreSQL) or auto (the config file's, else keep-majority).", HelpName = "RULE" });
        var root = new RootCommand(Description + Environment.NewLine + Details)
        {
            options.Config, options.Seeds, options.Name, options.Slots, options.Resources, options.Priorities, options.Port,
            options.TlsCertificate, options.TlsKey, options.TlsAuthority, options.Insecure, options.Exec, options.Nice, options.Lanes, options.TaskNice, options.Downing,
        };
        return (root, options);
    }
}
