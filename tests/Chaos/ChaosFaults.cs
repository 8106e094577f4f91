using System.Diagnostics;

namespace Lighthouse.Chaos;

/// <summary>The faults the injector chooses from.</summary>
internal enum FaultKind
{
    /// <summary><c>kill -9</c> of a worker; started again under its name afterwards.</summary>
    KillWorker,

    /// <summary><c>kill -9</c> of the host running the scheduler singleton; started again afterwards (as a standby).</summary>
    KillSchedulerHost,

    /// <summary>SIGTERM of the host running the scheduler: a graceful leave, as in a rolling restart; started again afterwards.</summary>
    StopSchedulerHost,

    /// <summary>SIGSTOP of a worker for 2–8 s, then SIGCONT: a long GC pause or a frozen VM.</summary>
    PauseWorker,

    /// <summary>SIGSTOP of a host (maybe the scheduler's) for 2–8 s, then SIGCONT.</summary>
    PauseHost,
}

/// <summary>One injected fault and what followed it.</summary>
internal sealed class FaultRecord(int number, FaultKind kind, string target, DateTimeOffset at)
{
    public int Number { get; } = number;
    public FaultKind Kind { get; } = kind;
    public string Target { get; } = target;
    public DateTimeOffset At { get; } = at;
    public TimeSpan? Pause { get; set; }

    /// <summary>From the fault to the first acceptance of a probe sent after it.</summary>
    public TimeSpan? FirstAccepted { get; set; }

    /// <summary>From the fault to submissions accepted again for good (<see cref="ChaosProbe.AcceptedAgain"/>).</summary>
    public TimeSpan? AcceptedAgain { get; set; }

    /// <summary>The same over HTTP (the probe posting to the hosts in turn).</summary>
    public TimeSpan? HttpAcceptedAgain { get; set; }

    /// <summary>From the fault to dispatch resumed for good (<see cref="ChaosProbe.DispatchResumed"/>).</summary>
    public TimeSpan? DispatchResumed { get; set; }

    /// <summary>From the fault to the cluster whole again (everything restarted, rejoined and registered).</summary>
    public TimeSpan? WholeAgain { get; set; }

    public List<string> Notes { get; } = [];

    public override string ToString() =>
        $"#{Number} {At:HH:mm:ss.fff} {Kind} {Target}{(Pause is { } p ? $" for {p.TotalSeconds:0.0} s" : "")}: " +
        $"first accepted {Seconds(FirstAccepted)}, accepted again {Seconds(AcceptedAgain)} (HTTP {Seconds(HttpAcceptedAgain)}), dispatch resumed {Seconds(DispatchResumed)}, whole again {Seconds(WholeAgain)}" +
        (Notes.Count > 0 ? $"; {string.Join("; ", Notes)}" : "");

    private static string Seconds(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0.00} s" : "never";
}

/// <summary>
/// Injects one fault at a time, at random gaps, every choice taken from one <see cref="Random"/> seeded by the run:
/// which kind (see <see cref="Choose"/>), which target, how long a pause, how long a killed process stays dead. A fault on a host is only injected
/// while the cluster is whole, so at least two of the three hosts are alive at any time (keep-majority). After each
/// fault it waits until the probe shows recovery, restarts what was killed or stopped or exited on its own (a host or
/// worker downed while paused joins again by itself, which is noted; one that exited would be restarted), and waits
/// until the cluster is whole again before the next gap.
/// </summary>
internal sealed class ChaosFaults
{
    public static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan WholeLimit = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StableFor = TimeSpan.FromSeconds(3);

    private readonly ChaosCluster _cluster;
    private readonly ChaosProbe _probe;
    private readonly ChaosOptions _options;
    private readonly Random _random;
    private readonly Queue<FaultKind> _bag = new();

    public ChaosFaults(ChaosCluster cluster, ChaosProbe probe, ChaosOptions options, Random random)
    {
        _cluster = cluster;
        _probe = probe;
        _options = options;
        _random = random;
    }

    public List<FaultRecord> Faults { get; } = [];

    /// <summary>Injects faults until <paramref name="until"/>, then returns with the cluster whole.</summary>
    public async Task RunAsync(DateTimeOffset until, CancellationToken hard)
    {
        while (true)
        {
            var (min, max) = _options.Gap;
            await Task.Delay(min + (max - min) * _random.NextDouble(), hard);
            if (DateTimeOffset.UtcNow >= until) return;
            await InjectAsync(Choose(), hard);
        }
    }

    /// <summary>
    /// The next kind from a shuffled bag of all five kinds (refilled and shuffled again when empty): every kind comes up
    /// once in each five faults, in an order that depends on the seed alone, so a short run still sees several kinds.
    /// </summary>
    private FaultKind Choose()
    {
        if (_bag.Count == 0)
        {
            var kinds = Enum.GetValues<FaultKind>();
            _random.Shuffle(kinds);
            foreach (var kind in kinds) _bag.Enqueue(kind);
        }
        return _bag.Dequeue();
    }

    private async Task InjectAsync(FaultKind kind, CancellationToken hard)
    {
        var target = kind switch
        {
            FaultKind.KillWorker or FaultKind.PauseWorker => _cluster.Workers[_random.Next(_cluster.Workers.Count)],
            FaultKind.PauseHost => _cluster.Hosts[_random.Next(_cluster.Hosts.Count)],
            _ => await _cluster.SchedulerHostAsync(),
        };
        // Drawn now whatever the kind, so that the sequence of choices does not depend on which kind came up.
        var pause = TimeSpan.FromMilliseconds(_random.Next(2000, 8001));
        var deadFor = TimeSpan.FromMilliseconds(_random.Next(0, 3001));
        if (target?.Current is not { } process)
        {
            _options.Log($"chaos: no target for {kind} (no live host names the scheduler's host); skipped");
            return;
        }

        var ranScheduler = kind == FaultKind.PauseHost && await _cluster.SchedulerHostAsync() == target;
        var fault = new FaultRecord(Faults.Count + 1, kind, process.Name, DateTimeOffset.UtcNow);
        Faults.Add(fault);
        if (ranScheduler) fault.Notes.Add($"{process.Name} ran the scheduler");
        process.Note($"chaos fault #{fault.Number}: {kind}");
        var restart = false;
        var rejoinsBefore = process.Rejoins;
        switch (kind)
        {
            case FaultKind.KillWorker or FaultKind.KillSchedulerHost:
                process.Signal(ChaosProcess.SigKill);
                await process.Exited.WaitAsync(TimeSpan.FromSeconds(10), hard);
                restart = true;
                break;
            case FaultKind.StopSchedulerHost:
                process.Signal(ChaosProcess.SigTerm);
                var left = Stopwatch.StartNew();
                if (await Task.WhenAny(process.Exited, Task.Delay(TimeSpan.FromSeconds(30), hard)) != process.Exited)
                {
                    fault.Notes.Add("did not exit within 30 s of SIGTERM: killed");
                    process.Signal(ChaosProcess.SigKill);
                }
                else
                {
                    fault.Notes.Add($"exited {process.ExitCode} {left.Elapsed.TotalSeconds:0.0} s after SIGTERM");
                }
                restart = true;
                break;
            default:
                fault.Pause = pause;
                process.Signal(ChaosProcess.SigStop);
                await Task.Delay(pause, hard);
                process.Signal(ChaosProcess.SigCont);
                break;
        }
        _options.Log($"chaos: fault #{fault.Number} {kind} {process.Name}{(fault.Pause is { } p ? $" for {p.TotalSeconds:0.0} s" : "")}");

        // Recovery as the probe sees it, then the dead come back.
        var recovery = Stopwatch.StartNew();
        while (recovery.Elapsed < RecoveryLimit && !_probe.Recovering(fault.At))
            await Task.Delay(100, hard);
        if (restart)
        {
            await Task.Delay(deadFor, hard);
            await RestartAsync(target, fault, "restarted");
        }
        await UntilWholeAsync(fault, hard);
        if (process.Rejoins > rejoinsBefore) fault.Notes.Add($"{process.Name} was removed from the cluster and joined again by itself (no restart)");
        // The window ends when the cluster is whole again; probes sent in it may still be waiting: give them a moment.
        var until = fault.At + (fault.WholeAgain ?? WholeLimit);
        await Task.Delay(ChaosProbe.Disrupted, hard);
        fault.FirstAccepted = _probe.FirstAccepted(fault.At);
        fault.AcceptedAgain = _probe.AcceptedAgain(fault.At, until);
        fault.HttpAcceptedAgain = _probe.AcceptedAgain(fault.At, until, "http-probe");
        fault.DispatchResumed = _probe.DispatchResumed(fault.At, until);
        _options.Log($"chaos: {fault}");
    }

    /// <summary>Waits until the cluster is whole, restarting whatever exited meanwhile; bounded.</summary>
    private async Task UntilWholeAsync(FaultRecord fault, CancellationToken hard)
    {
        var clock = Stopwatch.StartNew();
        var restartedStale = false;
        while (true)
        {
            foreach (var slot in _cluster.All.Where(s => s.Current is { HasExited: true }).ToList())
                await RestartAsync(slot, fault, $"exited on its own (code {slot.Current!.ExitCode}): restarted");
            if (await _cluster.MissingAsync() is not { } missing)
            {
                // Whole, and still whole a while later: a node downed while paused may look whole for a moment after SIGCONT.
                var whole = DateTimeOffset.UtcNow - fault.At;
                await Task.Delay(StableFor, hard);
                if (_cluster.All.All(s => s.Current is { HasExited: false }) && await _cluster.MissingAsync() is null)
                {
                    fault.WholeAgain = whole;
                    return;
                }
                continue;
            }
            if (clock.Elapsed > WholeLimit)
            {
                if (restartedStale) throw new TimeoutException($"after fault {fault}: the cluster was not whole again within {WholeLimit} twice: {missing}");
                // A process that runs but is no member (a node downed while paused that did not exit) is what this finds.
                fault.Notes.Add($"NOT whole {WholeLimit.TotalSeconds:0} s after the fault ({missing}): {fault.Target} killed and restarted");
                var slot = _cluster.All.First(s => fault.Target.StartsWith(s.Name + "#", StringComparison.Ordinal));
                await RestartAsync(slot, fault, "restarted after the cluster stayed broken");
                restartedStale = true;
                clock.Restart();
            }
            await Task.Delay(250, hard);
        }
    }

    private async Task RestartAsync(ChaosCluster.Slot slot, FaultRecord fault, string why)
    {
        var old = slot.Current?.Name;
        try
        {
            await _cluster.RestartAsync(slot);
            fault.Notes.Add($"{old} {why} as {slot.Current!.Name}");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            // A host that could not start (e.g. its port still held) is tried again by the next round of UntilWholeAsync.
            fault.Notes.Add($"{old}: a restart failed: {e.Message.Split('\n')[0]}");
        }
    }
}
