using System.Diagnostics;
using System.Globalization;
using Lighthouse.Client;
using Lighthouse.Protocol;
using static Lighthouse.Benchmarks.BenchmarkPrograms;

namespace Lighthouse.Benchmarks;

/// <summary>
/// Memory under a steady load (issue 13: "a 10-minute steady load keeps every process's memory flat, within 10 % after
/// warm-up"). One real host (<c>lighthouse serve --no-local-worker</c>, SQLite journal in a fresh directory) and one
/// real <c>lighthouse-worker</c> on loopback; this process submits <c>echo</c> tasks through <see cref="LighthouseClient"/>
/// at a fixed rate (open loop: a task is started every 1/rate s whatever the others do, each checked against its payload).
///   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- soak [--rate 5000] [--minutes 10] [--warmup-minutes 2] [--sample-seconds 10] [--slots 256] [--in-memory] [--no-build]
/// <para>
/// Every sample reads each process's resident set (<c>VmRSS</c> of <c>/proc/PID/status</c>), the host's managed heap
/// and what its collector committed from its <c>/metrics</c> (<c>dotnet_gc_heap_bytes</c>, <c>dotnet_gc_committed_bytes</c>), this process's own heap, and the journal directory's size; the host's resident memory beyond what its collector committed
/// (<c>RSS - GC</c>) is native: the runtime, JIT'd code, SQLite, the C library's allocator.
/// Warm-up ends at <c>--warmup-minutes</c> or once the host's retention is full (<see cref="RetainedTasksMax"/> finished
/// tasks), whichever is later. The verdict: for each process, no sample after warm-up more than 10 % above the first
/// sample after warm-up. Exit code 0 when every process is flat and every task came back right, else 1 (tasks shed because too many were in flight, as on a machine too loaded for the rate, are reported, not failed).
/// </para>
/// </summary>
internal static class SoakBenchmark
{
    /// <summary>The host's default <c>retained-tasks-max</c>: until that many tasks finished, its memory is still filling by design.</summary>
    private const int RetainedTasksMax = 100_000;
    private const double FlatWithin = 0.10;
    private const int Users = 64;
    private const int MaxInFlight = 20_000;

    public static int Run(string[] args)
    {
        var settings = Settings.Parse(args);
        ConsoleCancelEventHandler interrupted = (_, _) => ChildProcess.KillAll();
        Console.CancelKeyPress += interrupted;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.KillAll();
        try
        {
            return RunAsync(settings).GetAwaiter().GetResult();
        }
        finally
        {
            ChildProcess.KillAll();
            Console.CancelKeyPress -= interrupted;
        }
    }

    private static async Task<int> RunAsync(Settings settings)
    {
        var root = RepositoryRoot();
        if (settings.Build)
        {
            Build(root, "src/Lighthouse.Host");
            Build(root, "src/Lighthouse.Worker.Host");
        }
        var hostDll = ProgramPath(root, "src/Lighthouse.Host/bin/Release/net10.0/lighthouse.dll");
        var workerDll = ProgramPath(root, "src/Lighthouse.Worker.Host/bin/Release/net10.0/lighthouse-worker.dll");

        var (port, httpPort) = (FreePort(), FreePort());
        var dataDir = Path.Combine(Path.GetTempPath(), $"lighthouse-soak-benchmark-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDir);
        using var cleanUp = new DirectoryRemoval(dataDir);
        List<string> serve = ["serve", "--port", Text(port), "--http-port", Text(httpPort), "--no-local-worker", "--data-dir", dataDir];
        if (settings.InMemory)
        {
            // To tell the journal's share of the host's memory from the rest: the scheduler without persistence.
            var config = Path.Combine(dataDir, "in-memory.conf");
            File.WriteAllText(config, "lighthouse.persistence.provider = none\n");
            serve.AddRange(["--config", config]);
        }
        using var host = ChildProcess.Start("host", hostDll, serve);
        host.WaitForLine(line => line.StartsWith("lighthouse up at ", StringComparison.Ordinal), StartLimit, "the host's up line");
        using var worker = ChildProcess.Start("worker", workerDll, ["--seed", $"127.0.0.1:{Text(port)}", "--name", "soak-w1", "--slots", Text(settings.Slots)]);
        worker.WaitForLine(line => line.StartsWith("lighthouse-worker: node \"soak-w1\"", StringComparison.Ordinal), StartLimit, "the worker's start line");
        try
        {
            await using var client = await LighthouseClient.ConnectAsync($"127.0.0.1:{port}", new LighthouseClientOptions { RequestTimeout = TimeSpan.FromSeconds(60) });
            await UntilRegistered(client, ["soak-w1"]);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Text(httpPort)}"), Timeout = TimeSpan.FromSeconds(30) };

            Console.WriteLine($"soak benchmark: 1 host (--no-local-worker, {(settings.InMemory ? "scheduler in memory, no journal" : "SQLite journal in a fresh temp directory")}) + 1 worker x {settings.Slots} slots on loopback; " +
                $"echo at {settings.Rate:N0} tasks/s for {settings.Minutes} min over {Users} users; a sample every {settings.SampleSeconds} s; load average at start {LoadAverage()}");
            var load = new SteadyLoad(client, settings.Rate);
            var processes = new (string Name, int Pid)[] { ("host", host.Id), ("worker", worker.Id), ("client", Environment.ProcessId) };
            var samples = new List<Sample>();
            PrintHeader();
            var clock = Stopwatch.StartNew();
            var run = TimeSpan.FromMinutes(settings.Minutes);
            var loading = load.RunAsync(clock, run);
            var (lastDone, lastAt) = (0L, TimeSpan.Zero);
            for (var next = TimeSpan.FromSeconds(settings.SampleSeconds); next <= run; next += TimeSpan.FromSeconds(settings.SampleSeconds))
            {
                var wait = next - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.WhenAny(Task.Delay(wait), loading);
                if (loading.IsCompleted) await loading; // a wrong result: stop at once, with its message
                var at = clock.Elapsed;
                var done = load.Done;
                var latencies = load.TakeLatencies();
                var sample = new Sample(at, done, (done - lastDone) / (at - lastAt).TotalSeconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99),
                    processes.Select(p => ProcessMemory.ResidentBytes(p.Pid)).ToArray(), await ProcessMemory.HostHeap(http), await ProcessMemory.HostCommitted(http), GC.GetGCMemoryInfo().HeapSizeBytes,
                    ProcessMemory.DirectoryBytes(dataDir), LoadAverage().Split(' ')[0]);
                samples.Add(sample);
                PrintRow(sample);
                (lastDone, lastAt) = (done, at);
            }
            await loading;

            var warmedAt = samples.FirstOrDefault(s => s.Done >= RetainedTasksMax)?.At ?? TimeSpan.MaxValue;
            var warmupEnd = TimeSpan.FromMinutes(settings.WarmupMinutes) > warmedAt ? TimeSpan.FromMinutes(settings.WarmupMinutes) : warmedAt;
            Console.WriteLine();
            Console.WriteLine($"{load.Done:N0} tasks in {clock.Elapsed.TotalMinutes:0.0} min ({load.Done / clock.Elapsed.TotalSeconds:N0}/s against {settings.Rate:N0}/s asked); " +
                $"{load.Failures:N0} submissions failed{(load.FirstFailure is { } f ? $" (first: {f})" : "")}; {load.Shed:N0} not started because {MaxInFlight:N0} were in flight; " +
                $"load average at end {LoadAverage()}");
            var flat = Verdict(processes.Select(p => p.Name).ToList(), samples, warmupEnd, warmedAt);
            return flat && load.Failures == 0 ? 0 : 1;
        }
        catch
        {
            Console.Error.WriteLine($"--- host output (last lines)\n{host.Tail()}");
            Console.Error.WriteLine($"--- worker output (last lines)\n{worker.Tail()}");
            throw;
        }
    }

    /// <summary>Prints, per process, the first sample after warm-up, the highest and the last after it; true when every one stayed within 10 %.</summary>
    private static bool Verdict(List<string> names, List<Sample> samples, TimeSpan warmupEnd, TimeSpan warmedAt)
    {
        var after = samples.Where(s => s.At > warmupEnd).ToList();
        Console.WriteLine(warmedAt == TimeSpan.MaxValue
            ? $"retention never filled ({RetainedTasksMax:N0} finished tasks): the host's memory was still growing by design; no verdict"
            : $"warm-up: until {warmupEnd.TotalSeconds:0} s (retention full, {RetainedTasksMax:N0} finished tasks, at {warmedAt.TotalSeconds:0} s); {after.Count} samples after it");
        if (warmedAt == TimeSpan.MaxValue) return false;
        if (after.Count < 2)
        {
            Console.WriteLine("too few samples after warm-up for a verdict: run longer (--minutes) or sample more often (--sample-seconds)");
            return false;
        }
        var flat = true;
        Console.WriteLine($"{"process",-8} {"RSS after warm-up",18} {"max after",12} {"last",12} {"max / first",12} {"last / first",13} verdict");
        for (var i = 0; i < names.Count; i++)
        {
            var first = after[0].Resident[i];
            var max = after.Max(s => s.Resident[i]);
            var last = after[^1].Resident[i];
            var holds = max <= first * (1 + FlatWithin);
            flat &= holds;
            Console.WriteLine($"{names[i],-8} {Mb(first),18} {Mb(max),12} {Mb(last),12} {(double)max / first,12:0.000} {(double)last / first,13:0.000} {(holds ? "flat" : "NOT flat")}");
        }
        Console.WriteLine($"verdict: every process's resident memory within {FlatWithin:P0} of its level after warm-up: {(flat ? "met" : "NOT met")}");
        return flat;
    }

    private sealed record Sample(TimeSpan At, long Done, double PerSecond, double P50, double P99, long[] Resident, long? HostHeap, long? HostCommitted, long ClientHeap, long JournalBytes, string Load);

    private static void PrintHeader() =>
        Console.WriteLine($"{"t s",6} {"tasks",11} {"tasks/s",8} {"p50 ms",7} {"p99 ms",8} {"host RSS",9} {"host heap",10} {"committed",10} {"RSS - GC",9} {"worker RSS",11} {"client RSS",11} {"client heap",12} {"journal",9} {"load",5}");

    private static void PrintRow(Sample s) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{s.At.TotalSeconds,6:0} {s.Done,11:N0} {s.PerSecond,8:N0} {s.P50,7:0.0} {s.P99,8:0.0} {Mb(s.Resident[0]),9} {(s.HostHeap is { } h ? Mb(h) : "?"),10} {(s.HostCommitted is { } c ? Mb(c) : "?"),10} {(s.HostCommitted is { } g ? Mb(s.Resident[0] - g) : "?"),9} {Mb(s.Resident[1]),11} {Mb(s.Resident[2]),11} {Mb(s.ClientHeap),12} {Mb(s.JournalBytes),9} {s.Load,5}"));

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0} MB");

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    /// <summary>
    /// Starts <c>echo</c> tasks at a fixed rate, each through <c>RunAsync</c> (submitted watched, its end pushed) and
    /// checked against its payload. Open loop: the schedule does not wait for answers; past <see cref="MaxInFlight"/>
    /// unanswered tasks it sheds (counts) what it cannot start rather than grow without bound itself.
    /// </summary>
    private sealed class SteadyLoad(LighthouseClient client, int rate)
    {
        private readonly Lock _latencyLock = new();
        private readonly List<double> _latencies = [];
        private long _done;
        private long _failures;
        private long _shed;
        private int _inFlight;
        private string? _wrong;

        public long Done => Interlocked.Read(ref _done);
        public long Failures => Interlocked.Read(ref _failures);
        public long Shed => Interlocked.Read(ref _shed);
        public string? FirstFailure { get; private set; }

        /// <summary>The latencies (ms) recorded since the last call, sorted.</summary>
        public double[] TakeLatencies()
        {
            double[] sorted;
            lock (_latencyLock)
            {
                sorted = _latencies.ToArray();
                _latencies.Clear();
            }
            Array.Sort(sorted);
            return sorted;
        }

        public async Task RunAsync(Stopwatch clock, TimeSpan duration)
        {
            long started = 0;
            while (clock.Elapsed < duration)
            {
                if (_wrong is { } wrong) throw new InvalidOperationException(wrong);
                var due = (long)(rate * clock.Elapsed.TotalSeconds);
                for (; started < due; started++)
                {
                    if (Volatile.Read(ref _inFlight) >= MaxInFlight) { Interlocked.Increment(ref _shed); continue; }
                    Interlocked.Increment(ref _inFlight);
                    _ = One(started, clock);
                }
                await Task.Delay(5);
            }
            var drained = Stopwatch.StartNew();
            while (Volatile.Read(ref _inFlight) > 0 && drained.Elapsed < TimeSpan.FromMinutes(1)) await Task.Delay(50);
            if (_wrong is { } last) throw new InvalidOperationException(last);
        }

        private async Task One(long n, Stopwatch clock)
        {
            var payload = $"{{\"n\":{n}}}";
            var began = clock.Elapsed;
            try
            {
                var done = await client.RunAsync("echo", payload, $"soak-{n % Users}");
                if (done.State != TaskState.Succeeded || done.Result != payload)
                    _wrong ??= $"echo task {done.TaskId} ended {done.State} with result {done.Result ?? "null"} and error {done.Error ?? "null"}; expected its payload {payload}";
                Interlocked.Increment(ref _done);
                var latency = (clock.Elapsed - began).TotalMilliseconds;
                lock (_latencyLock) _latencies.Add(latency);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Refusals (queue full, a timeout) are counted and reported, not fatal: the soak is about memory.
                if (Interlocked.Increment(ref _failures) == 1) FirstFailure = $"{e.GetType().Name}: {e.Message}";
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private sealed record Settings(int Rate, int Minutes, int WarmupMinutes, int SampleSeconds, int Slots, bool Build, bool InMemory)
    {
        public static Settings Parse(string[] args) => new(
            Number(args, "--rate", 5_000),
            Number(args, "--minutes", 10),
            Number(args, "--warmup-minutes", 2),
            Number(args, "--sample-seconds", 10),
            Number(args, "--slots", 256),
            !args.Contains("--no-build"),
            args.Contains("--in-memory"));
    }
}
