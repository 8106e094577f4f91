using System.Diagnostics;
using System.Globalization;
using Lighthouse.Chaos;

namespace Lighthouse.Benchmarks;

/// <summary>
/// Lighthouse under faults (issue 13): three scheduler hosts on one PostgreSQL and three workers on loopback, clients
/// submitting continuously through <c>LighthouseClient</c> and the HTTP API of every host, a fault injector killing,
/// pausing and stopping processes at random times from the seed, and an independent checker (tests/Chaos).
///   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- chaos [--quick] [--minutes N] [--seed S] [--warm-tasks N] [--no-build]
/// --warm-tasks: echo tasks submitted as fast as possible before the faults, so fail-overs recover a large state
/// (default 30,000; 0 with --quick).
/// Prints the report; exit code 1 when an invariant is broken (lost or duplicated tasks, wrong results ...), 0 otherwise.
/// The Release builds under src/*/bin/Release/net10.0/ are used, built first unless --no-build. Every process started
/// is killed when the run ends, fails or is interrupted; the logs of every process stay in the run's directory.
/// </summary>
internal static class ChaosBenchmark
{
    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var minutes = BenchmarkPrograms.Number(args, "--minutes", quick ? 1 : 10);
        var seed = BenchmarkPrograms.Number(args, "--seed", Random.Shared.Next(1, 1_000_000));
        var warmTasks = BenchmarkPrograms.Number(args, "--warm-tasks", quick ? 0 : DefaultWarmTasks, minimum: 0);
        var root = BenchmarkPrograms.RepositoryRoot();
        if (!args.Contains("--no-build"))
        {
            BenchmarkPrograms.Build(root, "src/Lighthouse.Host");
            BenchmarkPrograms.Build(root, "src/Lighthouse.Worker.Host");
        }
        var options = new ChaosOptions(
            seed,
            TimeSpan.FromMinutes(minutes),
            quick,
            BenchmarkPrograms.ProgramPath(root, "src/Lighthouse.Host/bin/Release/net10.0/lighthouse.dll"),
            BenchmarkPrograms.ProgramPath(root, "src/Lighthouse.Worker.Host/bin/Release/net10.0/lighthouse-worker.dll"),
            root,
            Path.Combine(Path.GetTempPath(), $"lighthouse-chaos-{seed.ToString(CultureInfo.InvariantCulture)}-{DateTime.UtcNow:yyyyMMdd-HHmmss}"),
            line => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"))
        {
            WarmTasks = warmTasks,
        };

        ConsoleCancelEventHandler interrupted = (_, _) => ChaosProcess.KillAll();
        Console.CancelKeyPress += interrupted;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ChaosProcess.KillAll();
        try
        {
            var report = ChaosRun.RunAsync(options).GetAwaiter().GetResult();
            Console.WriteLine();
            Console.WriteLine(report.Text());
            Console.WriteLine();
            Console.WriteLine($"reproduce: dotnet run -c Release --project tests/Lighthouse.Benchmarks -- chaos{(quick ? " --quick" : "")} --minutes {minutes} --seed {seed} --warm-tasks {warmTasks}");
            return report.Holds ? 0 : 1;
        }
        finally
        {
            ChaosProcess.KillAll();
            Console.CancelKeyPress -= interrupted;
        }
    }

    // Below the default retention bound (retained-tasks-max 100,000) with a 10-minute run's ~21,000 tasks on top, so
    // none of the load's tasks is evicted before the checker reads it.
    private const int DefaultWarmTasks = 30_000;
}
