using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Lighthouse.Client;
using Lighthouse.Protocol;
using Lighthouse.Security;

using static Lighthouse.Benchmarks.BenchmarkPrograms;

namespace Lighthouse.Benchmarks;

/// <summary>
/// Lighthouse end to end on this machine: a real host (<c>lighthouse serve --no-local-worker</c>) and two real
/// <c>lighthouse-worker</c> processes on loopback, driven by one <see cref="LighthouseClient"/> from this process.
///   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- e2e [--quick] [--no-build] [--tls] [--store sqlite|memory] [--tasks N] [--window N] [--slots N] [--warmup N] [--fixed-warmup]
/// <para>
/// Measured: <c>echo</c> throughput with a pipelined client (a window of tasks in flight, each run through
/// <see cref="LighthouseClient.RunAsync(string, string, string, int, IProgress{TaskInfo}?, CancellationToken)"/>, which submits
/// it watched and is told its end); submit-to-result latency of a one-at-a-time client through <c>RunAsync</c>, through
/// <c>SubmitAsync</c> + <see cref="LighthouseClient.WaitAsync"/>, and submitting then polling at once; and after <c>kill -9</c> of the worker running <c>sleep</c>
/// tasks, the time until its node is unreachable, removed (which re-queues its tasks) and its tasks started on the
/// other worker. Every result is checked against its payload: a wrong or failed task stops the benchmark.
/// </para>
/// <para>
/// The host and workers are the Release builds under <c>src/*/bin/Release/net10.0/</c>, built first unless
/// <c>--no-build</c>. Every process started here is killed when the benchmark ends, fails or is interrupted.
/// </para>
/// </summary>
internal static class EndToEndBenchmark
{
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromMinutes(5);

    public static void Run(string[] args)
    {
        var settings = Settings.Parse(args);
        ConsoleCancelEventHandler interrupted = (_, _) => ChildProcess.KillAll();
        Console.CancelKeyPress += interrupted;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.KillAll();
        try
        {
            RunAsync(settings).GetAwaiter().GetResult();
        }
        finally
        {
            ChildProcess.KillAll();
            Console.CancelKeyPress -= interrupted;
        }
    }

    private static async Task RunAsync(Settings settings)
    {
        var root = RepositoryRoot();
        if (settings.Build)
        {
            Build(root, "src/Lighthouse.Host");
            Build(root, "src/Lighthouse.Worker.Host");
        }
        var hostDll = ProgramPath(root, "src/Lighthouse.Host/bin/Release/net10.0/lighthouse.dll");
        var workerDll = ProgramPath(root, "src/Lighthouse.Worker.Host/bin/Release/net10.0/lighthouse-worker.dll");

        var loadBefore = LoadAverage();
        var port = FreePort();
        // A host that persists its scheduler gets a fresh data directory: a default one would replay earlier runs' tasks.
        var dataDir = Path.Combine(Path.GetTempPath(), $"lighthouse-e2e-benchmark-{Guid.NewGuid():N}");
        var persistent = settings.Store == "sqlite";
        List<string> serve = ["serve", "--port", Text(port), "--http-port", "0", "--no-local-worker"];
        Directory.CreateDirectory(dataDir);
        using var cleanUp = new DirectoryRemoval(dataDir);
        if (persistent)
        {
            serve.AddRange(["--data-dir", dataDir]);
        }
        else
        {
            var config = Path.Combine(dataDir, "in-memory.conf");
            File.WriteAllText(config, "lighthouse.persistence.provider = none\n");
            serve.AddRange(["--config", config]);
        }
        LighthouseClientOptions clientOptions = new() { RequestTimeout = TimeSpan.FromSeconds(60) };
        if (settings.Tls)
        {
            // Certificates made the way `lighthouse certs` makes them, in the run's temporary directory.
            var authority = CertificateAuthority.Create("e2e benchmark CA");
            var caPath = Path.Combine(dataDir, "ca.crt");
            PemFiles.WriteCertificate(caPath, authority);
            string[] Issue(LighthouseRole role, string name, params string[] users)
            {
                var certificate = CertificateAuthority.Issue(authority, new CertificateIdentity(role, name, users));
                var (crt, key) = (Path.Combine(dataDir, name + ".crt"), Path.Combine(dataDir, name + ".key"));
                PemFiles.WriteCertificate(crt, certificate);
                PemFiles.WritePrivateKey(key, certificate);
                return ["--tls-cert", crt, "--tls-key", key, "--tls-ca", caPath];
            }
            serve.AddRange(Issue(LighthouseRole.Host, "bench-host"));
            foreach (var name in new[] { "bench-w1", "bench-w2" }) WorkerTls[name] = Issue(LighthouseRole.Worker, name);
            var client = Issue(LighthouseRole.Admin, "bench-client");
            clientOptions = clientOptions with { Tls = TlsCredentials.Load(client[1], client[3], client[5]) };
        }
        using var host = ChildProcess.Start("host", hostDll, serve);
        host.WaitForLine(line => line.StartsWith("lighthouse up at ", StringComparison.Ordinal), StartLimit, "the host's up line");
        var address = $"127.0.0.1:{port}";
        var workers = new Dictionary<string, ChildProcess>();
        try
        {
            foreach (var name in new[] { "bench-w1", "bench-w2" }) workers[name] = StartWorker(workerDll, port, name, settings.Slots);

            // Generous: thousands of requests queue behind each other in the pipelined phase on a loaded machine.
            await using var client = await LighthouseClient.ConnectAsync(address, clientOptions);
            await UntilRegistered(client, workers.Keys);

            Console.WriteLine($"end-to-end benchmark: 1 host (--no-local-worker{(persistent ? ", SQLite journal in a fresh temp directory" : ", scheduler in memory")}) + " +
                $"2 workers x {settings.Slots} slots on loopback, {settings.Users} users{(settings.Tls ? ", mutual TLS on every connection" : "")}{(settings.Quick ? " (--quick)" : "")}; load average at start {loadBefore}");

            await Pipelined(client, settings.Warmup, settings.Window, settings.Users, "warm-up");
            var processes = new[] { host }.Concat(workers.Values).ToList();
            if (!settings.FixedWarmup) await UntilJitQuiet(client, settings, processes);
            var cpuBefore = CpuTimes(processes);
            var jitBefore = JitTimes(processes);
            var pipelined = await Pipelined(client, settings.Tasks, settings.Window, settings.Users, "pipelined");
            var cpu = Spent(cpuBefore, CpuTimes(processes), settings.Tasks);
            var jit = JitSpent(jitBefore, JitTimes(processes), settings.Tasks);
            var loadPipelined = LoadAverage();

            await OneAtATime(client, settings.Warmup / 10, WaitPlan.Run);
            var run = await OneAtATime(client, settings.Sequential, WaitPlan.Run);
            var waiting = await OneAtATime(client, settings.Sequential, WaitPlan.Wait);
            var atOnce = await OneAtATime(client, settings.Sequential, WaitPlan.PollAtOnce);
            var loadSequential = LoadAverage();

            var kills = new List<KillFigures>();
            for (var trial = 0; trial < settings.KillTrials; trial++)
                kills.Add(await KillTrial(client, workers, workerDll, port, settings.Slots));

            PrintTable(settings, pipelined, run, waiting, atOnce, kills, cpu, jit);
            Console.WriteLine($"load average: at start {loadBefore}; after pipelined {loadPipelined}; after one-at-a-time {loadSequential}; at end {LoadAverage()}");
        }
        catch
        {
            Console.Error.WriteLine($"--- host output (last lines)\n{host.Tail()}");
            foreach (var (name, worker) in workers) Console.Error.WriteLine($"--- {name} output (last lines)\n{worker.Tail()}");
            throw;
        }
        finally
        {
            foreach (var worker in workers.Values) worker.Dispose();
        }
    }

    // ---- phases -------------------------------------------------------------------------------------------------

    /// <summary>
    /// <paramref name="count"/> echo tasks with <paramref name="window"/> in flight, spread over users in turn: <paramref name="window"/>
    /// lanes each run one task after another (through RunAsync: submitted watched, its end pushed) and check its result.
    /// Lanes rather than a semaphore in front of one loop: with 8,000 waiters queued on a SemaphoreSlim the harness itself
    /// took ~18 % of this process's CPU (a perf sample), which the table would have charged to the client.
    /// </summary>
    private static async Task<LatencyFigures> Pipelined(LighthouseClient client, int count, int window, int users, string phase)
    {
        var latencies = new double[count];
        var polls = new Counter();
        var next = -1;
        var clock = Stopwatch.StartNew();
        using var limit = new CancellationTokenSource(PhaseLimit);
        var lanes = new Task[Math.Min(window, count)];
        for (var lane = 0; lane < lanes.Length; lane++) lanes[lane] = Lane();
        await Task.WhenAll(lanes);
        var elapsed = clock.Elapsed;
        Console.WriteLine($"  {phase}: {count:N0} tasks in {elapsed.TotalSeconds:0.00} s");
        return LatencyFigures.Of(latencies, polls.Value, elapsed);

        async Task Lane()
        {
            // Yield first, so that every lane's first task is submitted from the thread pool and not inside this loop.
            await Task.Yield();
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var payload = $"{{\"n\":{i},\"phase\":\"{phase}\"}}";
                var started = clock.Elapsed;
                var done = await WaitPlan.Run.Finish(client, payload, $"user-{i % users}", polls, limit.Token);
                latencies[i] = (clock.Elapsed - started).TotalMilliseconds;
                Check(done, payload);
            }
        }
    }

    /// <summary><paramref name="count"/> echo tasks one after the other: each submitted only once the previous result is back.</summary>
    private static async Task<LatencyFigures> OneAtATime(LighthouseClient client, int count, WaitPlan plan)
    {
        var latencies = new double[count];
        var polls = new Counter();
        using var limit = new CancellationTokenSource(PhaseLimit);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var payload = $"{{\"n\":{i},\"phase\":\"one-at-a-time\"}}";
            var started = clock.Elapsed;
            var done = await plan.Finish(client, payload, "solo", polls, limit.Token);
            latencies[i] = (clock.Elapsed - started).TotalMilliseconds;
            Check(done, payload);
        }
        return LatencyFigures.Of(latencies, polls.Value, clock.Elapsed);
    }

    /// <summary>
    /// Sleep tasks run on one worker, which is then killed with SIGKILL; the times are read by polling the nodes and
    /// the tasks (every 10 ms) and from the restarted tasks' start times. Afterwards the tasks are cancelled and the
    /// killed worker is started again under its name, so the next trial finds two workers.
    /// </summary>
    private static async Task<KillFigures> KillTrial(LighthouseClient client, Dictionary<string, ChildProcess> workers, string workerDll, int port, int slots)
    {
        const int sleepers = 8;
        var deadline = DateTimeOffset.UtcNow + PhaseLimit;
        var ids = new List<string>();
        for (var i = 0; i < sleepers; i++) ids.Add(await client.SubmitAsync("sleep", "{\"ms\": 600000}", "kill-trial"));
        var infos = await Until(() => Infos(client, ids), all => all.All(t => t.State == TaskState.Running), deadline, "the sleep tasks running");

        // The victim is the node running most of them (the prioritized strategy puts them all on the first node).
        var victim = infos.GroupBy(t => t.Node!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var moved = infos.Where(t => t.Node == victim).Select(t => t.TaskId).ToList();

        var killedAt = DateTimeOffset.UtcNow;
        workers[victim].KillHard();
        DateTimeOffset? unreachableAt = null, removedAt = null;
        while (true)
        {
            var now = DateTimeOffset.UtcNow;
            if (now > deadline) throw new TimeoutException($"the tasks of killed worker {victim} were not started elsewhere within {PhaseLimit}");
            var node = (await client.GetNodesAsync()).Nodes.SingleOrDefault(n => n.Node == victim);
            if (node is null) { unreachableAt ??= now; removedAt ??= now; }
            else if (node.State == WorkerNodeState.Unreachable) unreachableAt ??= now;
            var current = await Infos(client, moved);
            if (current.Any(t => t.State != TaskState.Running && t.State != TaskState.Queued))
                throw new InvalidOperationException($"a task of the killed worker ended instead of moving: {current.First(t => t.State.IsFinished())}");
            if (removedAt is not null && current.All(t => t.State == TaskState.Running && t.Node != victim))
            {
                if (current.Any(t => t.Attempts != 2)) throw new InvalidOperationException($"a moved task does not show 2 attempts: {current.First(t => t.Attempts != 2)}");
                var restarted = current.Max(t => t.StartedAt!.Value);
                var figures = new KillFigures(moved.Count, unreachableAt!.Value - killedAt, removedAt.Value - killedAt, restarted - killedAt);
                await CleanUp(client, ids, deadline);
                workers[victim].Dispose();
                workers[victim] = StartWorker(workerDll, port, victim, slots);
                await UntilRegistered(client, workers.Keys);
                return figures;
            }
            await Task.Delay(10);
        }
    }

    private static async Task CleanUp(LighthouseClient client, IEnumerable<string> ids, DateTimeOffset deadline)
    {
        foreach (var id in ids) await client.CancelAsync(id);
        await Until(() => Infos(client, ids), all => all.All(t => t.State.IsFinished()), deadline, "the sleep tasks cancelled");
    }

    // ---- how a client waits for a result -----------------------------------------------------------------------

    /// <summary>
    /// How a client gets an echo task's result: <see cref="LighthouseClient.RunAsync(string, string, string, int, IProgress{TaskInfo}?, CancellationToken)"/>
    /// (submitted watched, the end pushed), <see cref="LighthouseClient.SubmitAsync(string, string, string, int, CancellationToken)"/> then
    /// <see cref="LighthouseClient.WaitAsync"/> (a watch, the end pushed), or submitting and then reading the status again and again without pause.
    /// </summary>
    private sealed record WaitPlan(string Name)
    {
        public static readonly WaitPlan Run = new("RunAsync");
        public static readonly WaitPlan Wait = new("SubmitAsync + WaitAsync");
        public static readonly WaitPlan PollAtOnce = new("SubmitAsync + polling at once");

        public async Task<TaskInfo> Finish(LighthouseClient client, string payload, string user, Counter polls, CancellationToken cancel)
        {
            if (this == Run) return await client.RunAsync("echo", payload, user, cancellationToken: cancel);
            var id = await client.SubmitAsync("echo", payload, user, cancellationToken: cancel);
            if (this == Wait) return await client.WaitAsync(id, cancellationToken: cancel);
            while (true)
            {
                polls.Add();
                var info = await client.GetAsync(id, cancel);
                if (info.State.IsFinished()) return info;
            }
        }
    }

    private sealed class Counter
    {
        private long _value;
        public long Value => Interlocked.Read(ref _value);
        public void Add() => Interlocked.Increment(ref _value);
    }

    private static void Check(TaskInfo done, string payload)
    {
        if (done.State != TaskState.Succeeded || done.Result != payload)
            throw new InvalidOperationException($"echo task {done.TaskId} ended {done.State} with result {done.Result ?? "null"} and error {done.Error ?? "null"}; expected its payload {payload}");
    }

    // ---- figures ------------------------------------------------------------------------------------------------

    private sealed record LatencyFigures(int Count, double PerSecond, double P50, double P99, double Max, double PollsPerTask)
    {
        public static LatencyFigures Of(double[] latencies, long polls, TimeSpan elapsed)
        {
            var sorted = latencies.Order().ToArray();
            double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            return new LatencyFigures(sorted.Length, sorted.Length / elapsed.TotalSeconds, At(0.50), At(0.99), sorted[^1], (double)polls / sorted.Length);
        }
    }

    private sealed record KillFigures(int Tasks, TimeSpan Unreachable, TimeSpan Removed, TimeSpan Restarted);

    /// <summary>Processor time (user + system) of this process and of each child so far.</summary>
    private static Dictionary<string, TimeSpan> CpuTimes(IEnumerable<ChildProcess> children)
    {
        var times = children.ToDictionary(c => c.Name, c => c.ProcessorTime);
        times["client (this process)"] = Process.GetCurrentProcess().TotalProcessorTime;
        return times;
    }

    /// <summary>
    /// More warm-up rounds until the runtime's tiered JIT is quiet (at most <see cref="JitQuietShare"/> of the four
    /// processes' processor time in the last round), so that the measured phase is the steady state, the same for every
    /// configuration: after the fixed warm-up alone the JIT was still recompiling hot methods in the measured phase, for
    /// up to 40 % of a process's time, more with TLS (see docs/benchmarks.md, issue 11). Linux only (/proc, whose
    /// 10 ms ticks are why a round is a whole warm-up's worth of tasks); at most <see cref="JitQuietRounds"/> rounds.
    /// </summary>
    private static async Task UntilJitQuiet(LighthouseClient client, Settings settings, List<ChildProcess> processes)
    {
        if (!TieredJit.Available) return;
        for (var i = 0; i < JitQuietRounds; i++)
        {
            var cpuBefore = CpuTimes(processes);
            var jitBefore = JitTimes(processes);
            await Pipelined(client, settings.Warmup, settings.Window, settings.Users, "warm-up until the JIT is quiet");
            var cpu = Spent(cpuBefore, CpuTimes(processes), settings.Warmup).Sum(p => p.MicrosecondsPerTask);
            var jit = JitSpent(jitBefore, JitTimes(processes), settings.Warmup).Sum(p => p.MicrosecondsPerTask);
            var share = jit / Math.Max(cpu, 1e-9);
            Console.WriteLine($"    tiered JIT: {jit:0.0} of {cpu:0} µs of processor time per task ({share:P0})");
            if (share <= JitQuietShare) return;
        }
        Console.WriteLine($"    (not quiet after {JitQuietRounds} more rounds: measuring anyway)");
    }

    // Where it stays: after the hot paths are recompiled, the JIT kept taking 3-6 % of a round (rarer methods reaching
    // their call counts), and under 4 % of the measured phase.
    private const double JitQuietShare = 0.05;
    private const int JitQuietRounds = 10;

    private static Dictionary<string, Dictionary<string, long>> JitTimes(IEnumerable<ChildProcess> children)
    {
        var times = children.ToDictionary(c => c.Name, c => TieredJit.Threads(c.Id));
        times["client (this process)"] = TieredJit.Threads(Environment.ProcessId);
        return times;
    }

    private static IReadOnlyList<(string Process, double MicrosecondsPerTask)> JitSpent(
        Dictionary<string, Dictionary<string, long>> before, Dictionary<string, Dictionary<string, long>> after, int tasks) =>
        after.Select(a => (a.Key, TieredJit.Between(before[a.Key], a.Value).TotalMicroseconds / tasks)).ToList();

    /// <summary>Processor microseconds per task spent by each process between two readings.</summary>
    private static IReadOnlyList<(string Process, double MicrosecondsPerTask)> Spent(Dictionary<string, TimeSpan> before, Dictionary<string, TimeSpan> after, int tasks) =>
        after.Select(a => (a.Key, (a.Value - before[a.Key]).TotalMicroseconds / tasks)).ToList();

    private static void PrintTable(Settings settings, LatencyFigures pipelined, LatencyFigures run, LatencyFigures waiting, LatencyFigures atOnce, List<KillFigures> kills,
        IReadOnlyList<(string Process, double MicrosecondsPerTask)> cpu, IReadOnlyList<(string Process, double MicrosecondsPerTask)> jit)
    {
        Console.WriteLine();
        Console.WriteLine($"{"measurement",-64} {"tasks/s",10} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"polls/task",10}");
        Row($"pipelined echo, {settings.Tasks:N0} tasks, window {settings.Window:N0}, {WaitPlan.Run.Name}", pipelined);
        Row($"one at a time, {settings.Sequential:N0} tasks, {WaitPlan.Run.Name}", run);
        Row($"one at a time, {settings.Sequential:N0} tasks, {WaitPlan.Wait.Name}", waiting);
        Row($"one at a time, {settings.Sequential:N0} tasks, {WaitPlan.PollAtOnce.Name}", atOnce);
        Console.WriteLine("(latency = submit to result in the client; scheduler " + (settings.Store == "sqlite" ? "with its SQLite journal, the host's default)" : "in memory)"));
        Console.WriteLine();
        Console.WriteLine($"processor time per pipelined task: {string.Join(", ", cpu.Select(c => $"{c.Process} {c.MicrosecondsPerTask:0} µs"))}; " +
            $"total {cpu.Sum(c => c.MicrosecondsPerTask):0} µs, i.e. at most {2e6 / cpu.Sum(c => c.MicrosecondsPerTask):N0} tasks/s on 2 idle cores");
        if (TieredJit.Available)
            Console.WriteLine($"of which the runtime's tiered JIT (background recompilation): {string.Join(", ", jit.Select(c => $"{c.Process} {c.MicrosecondsPerTask:0.0} µs"))}");
        Console.WriteLine();
        Console.WriteLine($"{"kill -9 of the worker running sleep tasks",-64} {"unreachable",12} {"removed + re-queued",20} {"started elsewhere",18}");
        for (var i = 0; i < kills.Count; i++)
        {
            var k = kills[i];
            Console.WriteLine($"{$"trial {i + 1}: {k.Tasks} tasks moved",-64} {Ms(k.Unreachable),12} {Ms(k.Removed),20} {Ms(k.Restarted),18}");
        }
        Console.WriteLine("(times from the kill; nodes and tasks polled every 10 ms, start times from the tasks' second attempt)");
        Console.WriteLine();
        Console.WriteLine($"bar: pipelined >= 20,000 tasks/s: {(pipelined.PerSecond >= 20_000 ? "met" : "NOT met")}; " +
            $"one-at-a-time p50 <= 2 ms: {(run.P50 <= 2 ? "met" : "NOT met")} with RunAsync, {(waiting.P50 <= 2 ? "met" : "NOT met")} with SubmitAsync + WaitAsync");

        static void Row(string what, LatencyFigures f) =>
            Console.WriteLine($"{what,-64} {f.PerSecond,10:N0} {f.P50,8:0.00} {f.P99,8:0.00} {f.Max,8:0.0} {f.PollsPerTask,10:0.00}");
        static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:N0} ms";
    }

    // ---- the cluster --------------------------------------------------------------------------------------------

    private static ChildProcess StartWorker(string workerDll, int seedPort, string name, int slots)
    {
        var worker = ChildProcess.Start(name, workerDll, ["--seed", $"127.0.0.1:{Text(seedPort)}", "--name", name, "--slots", Text(slots), .. WorkerTls.GetValueOrDefault(name, [])]);
        worker.WaitForLine(line => line.StartsWith($"lighthouse-worker: node \"{name}\"", StringComparison.Ordinal), StartLimit, "the worker's start line");
        return worker;
    }

    private static async Task<IReadOnlyList<TaskInfo>> Infos(LighthouseClient client, IEnumerable<string> ids) =>
        await Task.WhenAll(ids.Select(id => client.GetAsync(id)));


    // ---- settings -----------------------------------------------------------------------------------------------

    /// <summary>With --tls, each worker's --tls-* flags (a restarted worker gets the same).</summary>
    private static readonly Dictionary<string, string[]> WorkerTls = [];

    private sealed record Settings(bool Quick, bool Build, string Store, int Tasks, int Window, int Sequential, int Warmup, int Slots, int Users, int KillTrials, bool Tls, bool FixedWarmup)
    {
        public static Settings Parse(string[] args)
        {
            var quick = args.Contains("--quick");
            return new Settings(
                quick,
                !args.Contains("--no-build"),
                StoreOf(args),
                Number(args, "--tasks", quick ? 10_000 : 100_000),
                Number(args, "--window", quick ? 2_000 : 8_000),
                Number(args, "--sequential", quick ? 300 : 2_000),
                // The least warm-up; more rounds follow until tiered compilation is quiet in all four processes (UntilJitQuiet)
                // unless --fixed-warmup. With 10,000 alone the measured CPU per task was up to twice the steady state.
                Number(args, "--warmup", quick ? 5_000 : 30_000),
                Number(args, "--slots", 256),
                // Enough users that a full window stays under the scheduler's default queue cap of 1,000 per user.
                Number(args, "--users", 16),
                Number(args, "--kills", quick ? 1 : 3),
                args.Contains("--tls"),
                args.Contains("--fixed-warmup"));
        }

        /// <summary>sqlite (the host's default: its journal in a fresh directory) or memory (persistence provider none).</summary>
        private static string StoreOf(string[] args)
        {
            var at = Array.IndexOf(args, "--store");
            if (at < 0) return "sqlite";
            var value = at + 1 < args.Length ? args[at + 1] : "";
            return value is "sqlite" or "memory" ? value : throw new ArgumentException($"--store takes sqlite or memory, got \"{value}\"");
        }
    }
}
