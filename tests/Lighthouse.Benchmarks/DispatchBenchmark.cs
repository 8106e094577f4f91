using System.Diagnostics;
using System.Globalization;
using Lighthouse.Placement;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Benchmarks;

/// <summary>
/// Dispatches per second against queue depth, on the scheduler's state classes and the real placement
/// engine (no actors). The timed step is the steady state of a full cluster: a running task ends
/// (report decided, events applied, engine released), then the next task is chosen, placed and started.
/// The queue is topped up (untimed) so its depth stays near the nominal figure.
/// <para>
/// Three mixes: <c>uniform</c> (every task fits once a slot frees), <c>20% unplaceable</c> (one task in
/// five needs a resource no node has and outranks the user's other tasks; as the user count is a
/// multiple of five, a fifth of the users have nothing but such tasks) and <c>weighted, 20% at quota</c>
/// (uniform tasks; users have weights 1 to 5 and one in five a quota of 2 running tasks, which it is
/// always at, so its tasks wait out of the fair order).
/// And issue 14's <c>policies</c> mix: weighted users (1 to 5) and, of the tasks that fill the queue, one in
/// five delayed (by a day: they wait for the whole run, outside the queues), one in five after the user's previous
/// task (released when it succeeds), one in five under one of ten concurrency keys limited to 25 running each
/// (waiting outside the queues while its key is full); refills are plain tasks, and the fill's waiting tasks are
/// released and admitted while the measurement runs.
/// </para>
/// <para>
/// Every depth is filled first and then measured in interleaved repetitions, so that the load of a
/// shared machine falls on all depths alike; the median repetition is reported. Memory per queued task
/// is the managed heap growth from filling the queue, divided by its depth.
/// </para>
/// </summary>
internal static class DispatchBenchmark
{
    private const int Repetitions = 7;

    public static void Run(string[] args)
    {
        var quick = args.Contains("--quick");
        (int Queued, int Users)[] depths = quick
            ? [(1_000, 10), (100_000, 1_000)]
            : [(1_000, 10), (100_000, 1_000), (1_000_000, 10_000)];
        var perRepetition = quick ? 20_000 : 50_000;

        Console.WriteLine($"dispatch benchmark: {DispatchScenario.Nodes} nodes x {DispatchScenario.SlotsPerNode} slots, prioritized; " +
            $"median of {Repetitions} interleaved runs of {perRepetition:N0} dispatches{(quick ? " (--quick: 1M skipped)" : "")}");

        // Warm the JIT up so that no row pays for it.
        var warmup = new DispatchScenario(1_000, 10, unplaceable: true);
        warmup.Fill();
        warmup.Run(20_000);

        Console.WriteLine();
        Console.WriteLine("| mix | queued | users | bytes/queued task | submits/s | dispatches/s | µs/dispatch | allocated B/dispatch | vs 1k |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (mix, unplaceable, weighted, policies) in new[]
                 {
                     ("uniform", false, false, false), ("20% unplaceable", true, false, false), ("weighted, 20% at quota", false, true, false),
                     ("policies: 20% delayed, 20% after, 20% keyed, weighted", false, false, true),
                 })
        {
            var scenarios = depths.Select(d => new DispatchScenario(d.Queued, d.Users, unplaceable, weighted, policies)).ToList();
            foreach (var scenario in scenarios) scenario.Fill();
            var runs = scenarios.Select(_ => new List<(double Micros, double Allocated)>()).ToList();
            for (var repetition = 0; repetition < Repetitions; repetition++)
            {
                for (var i = 0; i < scenarios.Count; i++) runs[i].Add(scenarios[i].Run(perRepetition));
            }

            double? baseline = null;
            for (var i = 0; i < scenarios.Count; i++)
            {
                var scenario = scenarios[i];
                var median = runs[i].OrderBy(r => r.Micros).ElementAt(Repetitions / 2);
                baseline ??= median.Micros;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {mix} | {scenario.Depth:N0} | {scenario.Users:N0} | {scenario.BytesPerTask:N0} | {scenario.SubmitsPerSecond:N0} | {1e6 / median.Micros:N0} | {median.Micros:F2} | {median.Allocated:N0} | {median.Micros / baseline.Value:F2}x |"));
            }
        }
    }

    /// <summary>One queue depth: the state classes, the engine, and a full cluster kept full.</summary>
    private sealed class DispatchScenario
    {
        public const int Nodes = 50;
        public const int SlotsPerNode = 20;

        private readonly SchedulerState _state;
        private readonly TaskPlacer _placer = new(StrategyKind.Prioritized, null);
        private readonly Queue<string> _running = new();
        private readonly DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private readonly bool _unplaceable;
        private readonly bool _weighted;
        private readonly bool _policies;
        private readonly Dictionary<string, string> _lastTaskOfUser = new(StringComparer.Ordinal);
        private long _submitted;

        public DispatchScenario(int depth, int users, bool unplaceable, bool weighted = false, bool policies = false)
        {
            Depth = depth;
            Users = users;
            _unplaceable = unplaceable;
            _weighted = weighted;
            _policies = policies;
            var userPolicies = weighted || policies
                ? Enumerable.Range(0, users).ToDictionary(u => $"user-{u}", u => new UserPolicySetting(1 + u % 5, weighted && u % 5 == 4 ? 2 : null), StringComparer.Ordinal)
                : new Dictionary<string, UserPolicySetting>(StringComparer.Ordinal);
            var keyLimits = policies ? Enumerable.Range(0, 10).ToDictionary(k => $"key-{k}", _ => 25, StringComparer.Ordinal) : null;
            _state = new SchedulerState(SchedulerSettings.Default with
            {
                QueueCapPerUser = Math.Max(1000, 4 * depth / users),
                QueueCapTotal = Math.Max(SchedulerSettings.Default.QueueCapTotal, 2 * depth),
                Users = userPolicies,
                ConcurrencyLimits = keyLimits ?? SchedulerSettings.Default.ConcurrencyLimits,
            });
            for (var n = 0; n < Nodes; n++)
            {
                var registration = new RegisterWorker($"node-{n:D2}", new Dictionary<string, double> { ["cpu"] = 64 }, ["echo"], PriorityRange.All, SlotsPerNode);
                Apply(_state.DecideRegistration(registration, _now).Events);
            }
        }

        public int Depth { get; }
        public int Users { get; }
        public double BytesPerTask { get; private set; }
        public double SubmitsPerSecond { get; private set; }

        /// <summary>Fills the queue (measuring memory and submission rate), fills the cluster, tops the queue up.</summary>
        public void Fill()
        {
            var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Depth; i++) Submit(refill: false);
            watch.Stop();
            var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
            BytesPerTask = (memoryAfter - memoryBefore) / (double)Depth;
            SubmitsPerSecond = Depth / watch.Elapsed.TotalSeconds;
            while (DispatchOne()) { }
            TopUp();
        }

        /// <summary>Times <paramref name="dispatches"/> end-then-start steps; returns µs and bytes allocated per step.</summary>
        public (double Micros, double Allocated) Run(int dispatches)
        {
            var watch = new Stopwatch();
            long allocated = 0;
            var done = 0;
            while (done < dispatches)
            {
                // Never drain more than half the placeable queue between top-ups, so the depth stays near nominal.
                // (With policies, part of the backlog waits outside the queues: half of what is queued now.)
                var placeable = _policies ? _state.Queues.Queued : _unplaceable ? Depth * 4 / 5 : Depth;
                var round = Math.Min(dispatches - done, Math.Max(1, placeable / 2));
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                watch.Start();
                for (var i = 0; i < round; i++)
                {
                    var finishing = _running.Dequeue();
                    var node = _state.Tasks.Find(finishing)!.Node!;
                    Apply(_state.DecideReport(node, new ReportSuccess(finishing, "{}"), _now).Events);
                    if (!DispatchOne()) throw new InvalidOperationException($"nothing could start: the benchmark's queue ran dry (depth {Depth}, queued {_state.Queues.Queued}, running {_running.Count})");
                }
                watch.Stop();
                allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                done += round;
                TopUp();
            }
            return (watch.Elapsed.TotalMicroseconds / dispatches, allocated / (double)dispatches);
        }

        private void TopUp()
        {
            while (_state.Queues.Queued < Depth) Submit(refill: true);
            Apply(_state.DecideExpiry(_now + TimeSpan.FromDays(1)));
        }

        /// <summary>Submits one task; refills add only placeable ones (and none for users at their quota) so the shares stay what the fill made them.</summary>
        private void Submit(bool refill)
        {
            var i = _submitted++;
            // Users at their quota start nothing, so refills go to the others: their backlog stays what the fill made it.
            while (refill && _weighted && i % Users % 5 == 4) i = _submitted++;
            var blocked = _unplaceable && !refill && i % 5 == 0;
            var requirements = blocked
                ? new Dictionary<string, double> { ["cpu"] = 1, ["gpu"] = 1 }
                : new Dictionary<string, double> { ["cpu"] = 1 };
            var user = $"user-{i % Users}";
            var submission = new SubmitTask("echo", "{}", user, blocked ? 2 : (int)(i % 2), requirements);
            if (_policies)
            {
                // By i / Users, so that every user gets every kind. Only the fill has policies: a key's slots are held by
                // its queued tasks too, so behind a deep queue a keyed task holds its slot a long time and refills with
                // keys (or `after` them) would pile up outside the queues for ever; the fill's waiting tasks are
                // released and admitted while the measurement runs.
                switch (refill ? -1 : i / Users % 5)
                {
                    case 0:
                        submission = submission with { Delay = TimeSpan.FromDays(1) };
                        break;
                    case 1 when _lastTaskOfUser.TryGetValue(user, out var parent) && _state.Tasks.Find(parent) is { State: TaskState.Queued or TaskState.Running }:
                        submission = submission with { After = [parent] };
                        break;
                    case 2:
                        submission = submission with { ConcurrencyKey = $"key-{i % 10}" };
                        break;
                }
            }
            var decision = _state.DecideSubmission(submission, _now);
            if (decision.Events.Count == 0) throw new InvalidOperationException($"submission refused: {decision.Reply}");
            Apply(decision.Events);
            if (_policies && decision.Events.OfType<TaskSubmitted>().FirstOrDefault() is { } submitted) _lastTaskOfUser[user] = submitted.TaskId;
        }

        /// <summary>Chooses, places and starts one task, as the scheduler actor does; false when nothing can start.</summary>
        private bool DispatchOne()
        {
            while (_state.NextPlacement() is { } request)
            {
                var outcome = _placer.Place(request);
                Apply(_placer.Settle(_state, outcome, _now));
                if (outcome.Node is not null) return true;
            }
            return false;
        }

        /// <summary>Applies events and does what the actors do with them.</summary>
        private void Apply(IReadOnlyList<SchedulerEvent> events)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var change = events[i];
                _state.Apply(change);
                _placer.Follow(change, _state);
                if (change is TaskStarted started) _running.Enqueue(started.TaskId);
            }
        }
    }
}
