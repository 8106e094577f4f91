using System.Diagnostics;
using System.Globalization;
using Lighthouse.Client;
using Lighthouse.Placement;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using static Lighthouse.Benchmarks.BenchmarkPrograms;

namespace Lighthouse.Benchmarks;

/// <summary>
/// The scheduler's memory per queued task (issue 13: "1,000,000 queued tasks fit in the memory you document per task"),
/// on its state classes and the placement engine that follows them, as the scheduler actor holds them (no actors):
///   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- memory [--tasks 1000000] [--users 10000] [--payload-bytes 20]
///   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- memory --host [--tasks N] [--restarts 2] [--data-dir DIR]
/// <para>
/// Tasks are submitted as <see cref="LighthouseClient"/> sends them (a submission id each) with fresh strings for every
/// field, as deserialised off the wire, so that nothing is shared between tasks that would not be in a host. The
/// managed heap is read after a full, compacting collection: before the state exists, once it is empty (the fixed
/// part), and at every power of ten up to <c>--tasks</c>. Bytes per task = growth over the empty state / tasks queued.
/// The rows are repeated with ten times the users (what a user's queue costs) and with a larger payload (what a byte costs).
/// </para>
/// <para>
/// With <c>--host</c>, the same in a real host (<c>lighthouse serve --no-local-worker</c>, SQLite journal in a fresh
/// directory, no worker): <c>--tasks</c> submitted through <see cref="LighthouseClient"/>, the host's resident set and
/// managed heap (its /metrics) read as they queue, then the host killed (<c>kill -9</c>) and started again on its journal,
/// timed until ready (<c>/health/ready</c>) with every task still queued. <c>--restarts N</c> (default 2) kills and
/// restarts it N times: the first restart replays the journal, the next ones recover from the snapshot the first one
/// took. <c>--data-dir DIR</c> keeps the journal in DIR instead of a temporary directory; a DIR that already holds one
/// is not filled again, only restarted on (copy a filled one aside to time the same recovery again).
/// </para>
/// </summary>
internal static class MemoryBenchmark
{
    public static void Run(string[] args)
    {
        var tasks = Number(args, "--tasks", 1_000_000);
        var users = Number(args, "--users", 10_000);
        var payloadBytes = Number(args, "--payload-bytes", 20);
        if (args.Contains("--host"))
        {
            var restarts = Number(args, "--restarts", 2, minimum: 0);
            var at = Array.IndexOf(args, "--data-dir");
            if (at >= 0 && (at + 1 >= args.Length || args[at + 1].StartsWith("--", StringComparison.Ordinal)))
                throw new ArgumentException("--data-dir needs a directory");
            var dataDir = at >= 0 ? Path.GetFullPath(args[at + 1]) : null;
            try
            {
                InHostAsync(tasks, users, payloadBytes, restarts, dataDir, !args.Contains("--no-build")).GetAwaiter().GetResult();
            }
            finally
            {
                ChildProcess.KillAll();
            }
            return;
        }
        Console.WriteLine($"memory benchmark: scheduler state + placement engine, tasks queued and none running (no worker); managed heap after a full compacting GC; load average {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| users | payload | queued | heap growth | bytes / queued task |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        var fixedPart = Fill(tasks, users, payloadBytes);
        Fill(tasks, Math.Max(1, users / 10), payloadBytes);
        Fill(tasks, users, payloadBytes * 10);
        Console.WriteLine();
        Console.WriteLine($"fixed part (an empty scheduler state and placement engine, default settings): {fixedPart / 1024.0:N0} KB; load average at end {LoadAverage()}");
    }

    private static async Task InHostAsync(int tasks, int users, int payloadBytes, int restarts, string? keptDir, bool build)
    {
        var root = RepositoryRoot();
        if (build) Build(root, "src/Lighthouse.Host");
        var hostDll = ProgramPath(root, "src/Lighthouse.Host/bin/Release/net10.0/lighthouse.dll");
        var (port, httpPort) = (FreePort(), FreePort());
        var dataDir = keptDir ?? Path.Combine(Path.GetTempPath(), $"lighthouse-memory-benchmark-{Guid.NewGuid():N}");
        var filled = File.Exists(Path.Combine(dataDir, "lighthouse.db"));
        Directory.CreateDirectory(dataDir);
        using var cleanUp = keptDir is null ? new DirectoryRemoval(dataDir) : null;
        string[] serve = ["serve", "--port", Text(port), "--http-port", Text(httpPort), "--no-local-worker", "--data-dir", dataDir];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Text(httpPort)}"), Timeout = TimeSpan.FromSeconds(30) };
        // A journal already filled is only restarted on: its first start is the first restart (its host was killed, or stopped).
        var host = filled ? null : ChildProcess.Start("host", hostDll, serve);
        try
        {
            var clock = Stopwatch.StartNew();
            if (host is not null)
            {
                host.WaitForLine(line => line.StartsWith("lighthouse up at ", StringComparison.Ordinal), StartLimit, "the host's up line");
                await FillAsync();
            }
            else Console.WriteLine($"memory benchmark in a host: restarts on the journal already in {dataDir} ({ProcessMemory.DirectoryBytes(dataDir) / 1048576.0:N0} MB); load average at start {LoadAverage()}");
            for (var i = 1; i <= restarts; i++) await RestartAsync(i);

            async Task FillAsync()
            {
                Console.WriteLine($"memory benchmark in a host: 1 host (--no-local-worker, SQLite journal in a fresh temp directory), no worker; {tasks:N0} echo tasks " +
                    $"of {payloadBytes} B over {users:N0} users through LighthouseClient; load average at start {LoadAverage()}");
                Console.WriteLine();
                Console.WriteLine("| queued | host RSS | host managed heap | journal | elapsed |");
                Console.WriteLine("|---:|---:|---:|---:|---:|");
                await Row(0);
                await using (var client = await LighthouseClient.ConnectAsync($"127.0.0.1:{port}", new LighthouseClientOptions { RequestTimeout = TimeSpan.FromSeconds(120) }))
                {
                    var padding = new string('x', Math.Max(0, payloadBytes - "{\"n\":\"\"}".Length - 7));
                    var next = -1;
                    var step = Math.Max(1, tasks / 10);
                    var submitted = 0;
                    async Task Lane()
                    {
                        await Task.Yield();
                        for (var i = Interlocked.Increment(ref next); i < tasks; i = Interlocked.Increment(ref next))
                        {
                            await client.SubmitAsync("echo", string.Create(CultureInfo.InvariantCulture, $"{{\"n\":\"{i:D7}{padding}\"}}"), $"user-{i % users}");
                            Interlocked.Increment(ref submitted);
                        }
                    }
                    var lanes = Enumerable.Range(0, 1_000).Select(_ => Lane()).ToList();
                    for (var shown = step; shown <= tasks; shown += step)
                    {
                        while (Volatile.Read(ref submitted) < shown)
                        {
                            if (lanes.FirstOrDefault(l => l.IsFaulted) is { } failed) await failed;
                            await Task.Delay(100);
                        }
                        await Row(shown);
                    }
                    await Task.WhenAll(lanes);
                }
                // The heap as of the host's last collection: give it a few idle seconds to have one.
                await Task.Delay(TimeSpan.FromSeconds(10));
                await Row(tasks, "(10 s later)");
                Console.WriteLine();
            }

            async Task RestartAsync(int restart)
            {
                host?.KillHard();
                host?.Dispose();
                var sinceStart = Stopwatch.StartNew();
                host = ChildProcess.Start("host", hostDll, serve);
                while (!await Ready())
                {
                    if (sinceStart.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"the restarted host was not ready within 10 min:\n{host.Tail()}");
                    await Task.Delay(100);
                }
                var ready = sinceStart.Elapsed;
                var readyRss = ProcessMemory.ResidentBytes(host.Id);
                await using var client = await LighthouseClient.ConnectAsync($"127.0.0.1:{port}");
                var queued = (await client.GetQueuesAsync(0, 1)).Queued;
                // The snapshot a long replay takes is written after ready: let it finish before the next kill, and read the peak.
                await Task.Delay(TimeSpan.FromSeconds(15));
                var recovered = host.Tail().Split('\n').LastOrDefault(line => line.Contains("the scheduler recovered from", StringComparison.Ordinal));
                Console.WriteLine($"restart {restart} after kill -9: ready (/health/ready 200) in {ready.TotalSeconds:0.0} s with {queued:N0} tasks queued; " +
                    $"host RSS {readyRss / 1048576.0:N0} MB when ready, {ProcessMemory.ResidentBytes(host.Id) / 1048576.0:N0} MB 15 s later, " +
                    $"peak {ProcessMemory.PeakResidentBytes(host.Id) / 1048576.0:N0} MB; journal {ProcessMemory.DirectoryBytes(dataDir) / 1048576.0:N0} MB; load average {LoadAverage()}");
                if (recovered is not null) Console.WriteLine($"  host: {recovered.Trim()}");
            }

            async Task Row(int queued, string note = "")
            {
                var heap = await ProcessMemory.HostHeap(http);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {queued:N0}{(note.Length > 0 ? " " + note : "")} | {ProcessMemory.ResidentBytes(host.Id) / 1048576.0:N0} MB | {(heap is { } h ? $"{h / 1048576.0:N0} MB" : "?")} | {ProcessMemory.DirectoryBytes(dataDir) / 1048576.0:N0} MB | {clock.Elapsed.TotalSeconds:0} s |"));
            }
        }
        catch
        {
            Console.Error.WriteLine($"--- host output (last lines)\n{host?.Tail()}");
            throw;
        }
        finally
        {
            host?.Dispose();
        }

        async Task<bool> Ready()
        {
            try
            {
                using var response = await http.GetAsync("/health/ready");
                return response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }
    }

    /// <summary>Queues <paramref name="tasks"/> tasks over <paramref name="users"/> users, printing a row at each power of ten; returns the empty state's size.</summary>
    private static long Fill(int tasks, int users, int payloadBytes)
    {
        var before = Heap();
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var state = new SchedulerState(SchedulerSettings.Default with
        {
            QueueCapPerUser = Math.Max(SchedulerSettings.Default.QueueCapPerUser, tasks / users + 1),
            QueueCapTotal = Math.Max(SchedulerSettings.Default.QueueCapTotal, tasks),
        });
        var placer = new TaskPlacer(StrategyKind.Prioritized, null);
        var empty = Heap();
        var padding = new string('x', Math.Max(0, payloadBytes - "{\"n\":\"\"}".Length - 7));
        var checkpoint = 1_000;
        for (var i = 0; i < tasks; i++)
        {
            // Fresh strings for every field, as the wire codec makes them; a 20-byte payload is {"n":"0000001"} plus padding.
            var payload = string.Create(CultureInfo.InvariantCulture, $"{{\"n\":\"{i:D7}{padding}\"}}");
            var submission = new SubmitTask(new string("echo".AsSpan()), payload, string.Create(CultureInfo.InvariantCulture, $"user-{i % users}"),
                SubmissionId: Guid.NewGuid().ToString("N"));
            var decision = state.DecideSubmission(submission, now);
            if (decision.Events.Count == 0) throw new InvalidOperationException($"submission {i} refused: {decision.Reply}");
            foreach (var change in decision.Events)
            {
                state.Apply(change);
                placer.Follow(change, state);
            }
            if (i + 1 == checkpoint || i + 1 == tasks)
            {
                var growth = Heap() - empty;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {users:N0} | {payload.Length} B | {i + 1:N0} | {growth / 1048576.0:N1} MB | {growth / (double)(i + 1):N0} |"));
                checkpoint *= 10;
            }
        }
        GC.KeepAlive(state);
        GC.KeepAlive(placer);
        return empty - before;
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
