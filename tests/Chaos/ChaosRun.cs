using System.Diagnostics;
using System.Globalization;
using Lighthouse.Client;

namespace Lighthouse.Chaos;

/// <summary>What a chaos run found: the seed that reproduces it, the faults with their recovery times, the checker's verdict, and the clients' troubles.</summary>
internal sealed record ChaosReport(int Seed, TimeSpan Load, IReadOnlyList<FaultRecord> Faults, ChaosVerdict Verdict, IReadOnlyDictionary<string, int> Troubles, string RunDirectory)
{
    public bool Holds => Verdict.Holds;

    /// <summary>Each <c>kill -9</c> of the scheduler's host, phase by phase (<see cref="ChaosTimeline"/>).</summary>
    public IReadOnlyList<FailoverPhases> Timeline { get; init; } = [];

    /// <summary>Echo tasks of the high-throughput phase before the faults (<see cref="ChaosOptions.WarmTasks"/>).</summary>
    public int WarmTasks { get; init; }

    public string Text()
    {
        var v = Verdict;
        var lines = new List<string>
        {
            $"chaos: seed {Seed}, {Load.TotalSeconds:0} s of load and faults on 3 hosts (PostgreSQL) + 3 workers" +
            (WarmTasks > 0 ? $", after {WarmTasks:N0} warm-up echo tasks" : "") + $"; logs in {RunDirectory}",
            "",
            $"submissions {v.Submissions:N0}: accepted {v.Accepted:N0} ({v.AcceptedAnswerLost:N0} of them with the answer lost and found at the end), " +
            $"not accepted {v.NotAccepted:N0}, refused {v.Refused:N0}",
            $"completed {v.Completed:N0} ({string.Join(", ", v.ByState.OrderBy(s => s.Key).Select(s => $"{s.Key.ToString().ToLowerInvariant()} {s.Value:N0}"))})",
            $"lost {v.Lost} (must be 0), duplicate completions {v.Duplicates} (must be 0), wrong echo results {v.WrongResults} (must be 0), " +
            $"unfinished {v.Unfinished}, stranded {v.Stranded}, over max-attempts {v.OverAttempts}, unexpected ends {v.UnexpectedEnds}, tasks nobody submitted {v.Phantoms}",
            $"journal writers {v.JournalWriters} (scheduler incarnations), interleaved {v.InterleavedWriters} (must be 0: two schedulers writing at once)",
            $"re-executions {v.ReExecutions:N0} over {v.ReExecutedTasks:N0} tasks (at-least-once: a worker lost or downed while running them); " +
            $"{v.FailedAfterLosingWorkers:N0} failed after losing their workers max-attempts times",
            "",
            $"{"fault",-20} {"n",3} {"first accepted p50/max",24} {"accepted again p50/max",24} {"(over HTTP) p50/max",22} {"dispatch resumed p50/max",26} {"whole again p50/max",22}",
        };
        foreach (var kind in Enum.GetValues<FaultKind>())
        {
            var of = Faults.Where(f => f.Kind == kind).ToList();
            if (of.Count == 0) continue;
            lines.Add($"{kind,-20} {of.Count,3} {Pair(of.Select(f => f.FirstAccepted)),24} {Pair(of.Select(f => f.AcceptedAgain)),24} {Pair(of.Select(f => f.HttpAcceptedAgain)),22} {Pair(of.Select(f => f.DispatchResumed)),26} {Pair(of.Select(f => f.WholeAgain)),22}");
        }
        lines.Add("(times from the fault. first accepted: the first acceptance of a probe sent after the fault; accepted again: when submissions were accepted again for good: the latest acceptance of a probe (one every 100 ms " +
                  "through a LighthouseClient knowing the 3 hosts) sent between the fault and the cluster whole again that waited over 1 s, else the first " +
                  "acceptance after the fault; over HTTP: the same for a probe posted to the hosts' APIs in turn; dispatch resumed: the same for the probes' " +
                  "starts on a worker; whole again: everything restarted, rejoined and registered, and still so 3 s later)");
        lines.Add("");
        lines.AddRange(ChaosTimeline.Text(Timeline));
        lines.Add("");
        lines.Add("faults:");
        lines.AddRange(Faults.Select(f => "  " + f));
        lines.Add("client troubles (each resent or asked again):");
        lines.AddRange(Troubles.Select(t => $"  {t.Value,6:N0} {t.Key}"));
        lines.Add("");
        if (v.Holds)
        {
            lines.Add("every invariant holds");
        }
        else
        {
            lines.Add($"INVARIANTS BROKEN ({v.Violations.Count}); first ones:");
            lines.AddRange(v.Violations.Take(30).Select(x => "  " + x));
        }
        return string.Join('\n', lines);
    }

    private static string Pair(IEnumerable<TimeSpan?> times)
    {
        var known = times.Where(t => t is not null).Select(t => t!.Value.TotalSeconds).Order().ToList();
        var never = times.Count() - known.Count;
        if (known.Count == 0) return "never";
        var p50 = known[(known.Count - 1) / 2];
        return $"{p50:0.00} / {known[^1]:0.00} s" + (never > 0 ? $" ({never} never)" : "");
    }
}

/// <summary>
/// A chaos run, start to end: the cluster, the load, the probe, the faults for <see cref="ChaosOptions.Duration"/>,
/// then quiescence and the checker. Whatever happens, every process it started is killed and the PostgreSQL server
/// stopped before it returns or throws; the logs stay in the run directory.
/// </summary>
internal static class ChaosRun
{
    public static async Task<ChaosReport> RunAsync(ChaosOptions options)
    {
        Directory.CreateDirectory(options.RunDirectory);
        using var hard = new CancellationTokenSource(options.HardLimit);
        using var stop = new CancellationTokenSource();
        var random = new Random(options.Seed);
        var history = new ChaosHistory();
        options.Log($"chaos: seed {options.Seed.ToString(CultureInfo.InvariantCulture)}, {options.Duration.TotalSeconds:0} s; starting PostgreSQL, 3 hosts and 3 workers (logs in {options.RunDirectory})");
        var clock = Stopwatch.StartNew();
        await using var cluster = await ChaosCluster.StartAsync(options);
        options.Log($"chaos: cluster whole after {clock.Elapsed.TotalSeconds:0.0} s; load and faults for {options.Duration.TotalSeconds:0} s");
        try
        {
            if (options.WarmTasks > 0) await ChaosWarmup.RunAsync(cluster, options.WarmTasks, options.Log, hard.Token);
            // Seeds for every lane first, so each lane's choices depend on the run's seed alone.
            var laneSeeds = Enumerable.Range(0, options.ClientLanes + options.HttpLanes).Select(_ => random.Next()).ToList();
            var probe = new ChaosProbe(history);
            var faults = new ChaosFaults(cluster, probe, options, new Random(random.Next()));

            await using var client = await LighthouseClient.ConnectAsync(cluster.HostAddresses, new LighthouseClientOptions { LogLevel = "OFF" });
            await using var probeClient = await LighthouseClient.ConnectAsync(cluster.HostAddresses, ChaosProbe.ClientOptions);
            var load = new ChaosLoad(history, cluster);
            var lanes = new List<Task>();
            for (var i = 0; i < options.ClientLanes; i++)
                lanes.Add(Guarded(load.ClientLaneAsync(client, $"c{i + 1}", new Random(laneSeeds[i]), stop.Token, hard.Token)));
            for (var i = 0; i < options.HttpLanes; i++)
                lanes.Add(Guarded(load.HttpLaneAsync(i % cluster.Hosts.Count, $"h{i + 1}", new Random(laneSeeds[options.ClientLanes + i]), stop.Token, hard.Token)));
            lanes.Add(Guarded(probe.RunAsync(probeClient, stop.Token, hard.Token)));
            lanes.Add(Guarded(probe.RunHttpAsync(cluster, stop.Token, hard.Token)));

            var loadClock = Stopwatch.StartNew();
            await faults.RunAsync(DateTimeOffset.UtcNow + options.Duration, hard.Token);
            var remaining = options.Duration - loadClock.Elapsed;
            if (remaining > TimeSpan.Zero) await Task.Delay(remaining, hard.Token);
            var loadTime = loadClock.Elapsed;
            options.Log($"chaos: {faults.Faults.Count} faults in {loadTime.TotalSeconds:0} s; stopping the load and waiting for the lanes' last tasks");
            await stop.CancelAsync();
            await Task.WhenAll(lanes).WaitAsync(ChaosLoad.GiveUp * 3, hard.Token);

            options.Log("chaos: checking");
            var verdict = await ChaosChecker.CheckAsync(history, cluster.Admin, options.Log, hard.Token);
            ChaosChecker.CheckJournalWriters(verdict, await cluster.JournalWritersAsync(hard.Token));
            var timeline = ChaosTimeline.Read(options.RunDirectory, cluster, faults.Faults, verdict);
            return new ChaosReport(options.Seed, loadTime, faults.Faults, verdict, history.Troubles, options.RunDirectory) { Timeline = timeline, WarmTasks = options.WarmTasks };
        }
        catch
        {
            foreach (var slot in cluster.All.Where(s => s.Current is not null))
                options.Log($"--- {slot.Current!.Name} (last lines; whole log {slot.Current.LogPath})\n{string.Join('\n', slot.Current.Tail().Split('\n').TakeLast(40))}");
            throw;
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    /// <summary>A lane ends when told to stop; being cut off by the hard limit is an error only when it was not stopping anyway.</summary>
    private static async Task Guarded(Task lane)
    {
        try { await lane; }
        catch (OperationCanceledException) { }
    }
}
