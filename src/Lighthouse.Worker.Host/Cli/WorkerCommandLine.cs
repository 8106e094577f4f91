using System.CommandLine;
using Lighthouse.Protocol;

namespace Lighthouse.Worker.Cli;

/// <summary>
/// <c>lighthouse-worker [--config FILE] [--seed HOST:PORT]... [--name N] [--slots N] [--resources cpu=4,gpu=1]
/// [--priority-range MIN:MAX] [--port P]</c>. Values are read by <see cref="LaunchValues"/> so the command line and
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
        Resources: a bare name is a tag (0); -Infinity is a ward. Priority range: an empty side has no bound.
        Exit codes: 0 stopped on request (Ctrl-C, SIGTERM), 1 removed from the cluster, 2 bad arguments.
        """;

    private sealed record Options(
        Option<string> Config,
        Option<string[]> Seeds,
        Option<string> Name,
        Option<string> Slots,
        Option<string> Resources,
        Option<string> Priorities,
        Option<string> Port);

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
        var slots = parsed.GetValue(options.Slots) is { } s ? LaunchValues.Slots(s, "--slots") : file?.Slots ?? Environment.ProcessorCount;
        var resources = parsed.GetValue(options.Resources) is { } r ? LaunchValues.Resources(r, "--resources") : file?.Resources ?? [];
        var priorities = parsed.GetValue(options.Priorities) is { } p ? LaunchValues.Priorities(p, "--priority-range") : file?.Priorities ?? PriorityRange.All;
        var port = parsed.GetValue(options.Port) is { } port0 ? LaunchValues.Port(port0, "--port", port0, allowZero: true) : file?.Port;

        return new WorkerLaunch(file?.Path, file?.Config ?? Akka.Configuration.Config.Empty, seeds, name, slots, resources, priorities, port);
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
            new Option<string>("--port") { Description = "The cluster port of this worker; 0 (default) takes any free one.", HelpName = "P" });
        var root = new RootCommand(Description + Environment.NewLine + Details)
        {
            options.Config, options.Seeds, options.Name, options.Slots, options.Resources, options.Priorities, options.Port,
        };
        return (root, options);
    }
}
