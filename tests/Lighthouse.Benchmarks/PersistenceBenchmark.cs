using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Lighthouse.Persistence;
using Lighthouse.Persistence.Sql;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Benchmarks;

/// <summary>
/// What durability costs: submissions acknowledged per second by a scheduler in memory, on SQLite and on
/// PostgreSQL (each acknowledged only once its event is durable), the CPU time this process spends per
/// submission meanwhile (scheduler, journal plugin, database driver and SQLite itself; a PostgreSQL server's
/// own work is not counted), and how long a scheduler takes to recover 100k events with and without a snapshot.
///   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- persistence [--quick] [--retention]
/// PostgreSQL: the server in LIGHTHOUSE_BENCH_POSTGRES (an Npgsql connection string; its database is used as is),
/// else a throwaway one started with scripts/deps/postgresql.sh when PostgreSQL is installed, else skipped.
/// </summary>
internal static class PersistenceBenchmark
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public static void Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var submissions = quick ? 5_000 : 50_000;
        var recoveryEvents = quick ? 10_000 : 100_000;
        var window = 1_000;
        using var work = new ScratchDirectory();
        using var postgres = PostgresForBenchmark.Find(work.Path);

        // --retention: only the recovery at the retention bound.
        if (args.Contains("--retention"))
        {
            RetainedRows(work, postgres, quick);
            return;
        }

        Console.WriteLine($"accepted submissions per second: {submissions:N0} submissions, {window:N0} in flight, 100 users; best of 3 runs");
        Console.WriteLine($"{"store",-12} {"accepted/s",12} {"CPU µs/submission",18} {"runs (accepted/s)",30}");
        Report("in memory", Enumerable.Range(0, 3).Select(_ => Throughput(SqlDurabilitySettings.InMemory, submissions, window)).ToList());
        Report("SQLite", Enumerable.Range(0, 3).Select(i => Throughput(SqlDurabilitySettings.Sqlite(work.File($"throughput-{i}.db")), submissions, window)).ToList());
        if (postgres.Available)
            Report("PostgreSQL", Enumerable.Range(0, 3).Select(i => Throughput(postgres.Fresh($"throughput_{i}"), submissions, window)).ToList());
        else
            Console.WriteLine($"{"PostgreSQL",-12} skipped: {postgres.Why}");

        Console.WriteLine();
        Console.WriteLine($"recovery of {recoveryEvents:N0} events (one submission each), until the scheduler answers its first query");
        Console.WriteLine($"{"store",-12} {"journal only",14} {"from snapshot",14}");
        RecoveryRow("SQLite", name => SqlDurabilitySettings.Sqlite(work.File(name + ".db")), recoveryEvents, window);
        if (postgres.Available) RecoveryRow("PostgreSQL", name => postgres.Fresh(name), recoveryEvents, window);

        Console.WriteLine();
        RetainedRows(work, postgres, quick);
    }

    /// <summary>
    /// Finished tasks are what a busy scheduler holds most of: recovery at the retention bound (retained-tasks-max) is what a
    /// fail-over waits for.
    /// </summary>
    private static void RetainedRows(ScratchDirectory work, PostgresForBenchmark postgres, bool quick)
    {
        Console.WriteLine("recovery from a snapshot of finished echo tasks (payload and result {\"n\":1}), until the scheduler answers its first query");
        Console.WriteLine($"{"store",-12} {"finished",10} {"snapshot",12} {"recovery",12}");
        var retained = quick ? [10_000] : new[] { 50_000, SchedulerSettings.Default.RetainedTasksMax, 200_000 };
        foreach (var count in retained)
        {
            RetainedRow("SQLite", SqlDurabilitySettings.Sqlite(work.File($"retained-{count}.db")), count);
            if (postgres.Available) RetainedRow("PostgreSQL", postgres.Fresh($"retained_{count}"), count);
        }
    }

    private static void RetainedRow(string store, SqlDurabilitySettings durability, int finished)
    {
        DatabaseCheck.VerifyAsync(durability).Wait(Patience);
        var image = FinishedState(finished).Capture();
        long bytes;
        using (var system = NewSystem(durability))
        {
            var snapshot = new SchedulerSnapshot(image);
            bytes = system.Serialization.FindSerializerFor(snapshot).ToBinary(snapshot).Length;
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new SnapshotWriter(durability.Scheduler, image, done)));
            if (!done.Task.Wait(Patience)) throw new TimeoutException($"the snapshot of {finished} finished tasks was not saved within {Patience}");
            system.Terminate().Wait(Patience);
        }
        var times = Enumerable.Range(0, 3).Select(_ => Recover(durability, expected: 0)).ToList();
        Console.WriteLine($"{store,-12} {finished,10:N0} {bytes / 1048576.0,9:N1} MiB {times.Min().TotalMilliseconds,9:N0} ms   (runs: {string.Join(", ", times.Select(t => t.TotalMilliseconds.ToString("N0")))} ms)");
    }

    /// <summary>A state holding <paramref name="count"/> finished tasks of 100 users, as a busy scheduler at its retention bound does.</summary>
    private static SchedulerState FinishedState(int count)
    {
        var settings = Settings with { RetainedTasksMax = count };
        var state = new SchedulerState(settings);
        var at = DateTimeOffset.UtcNow;
        state.Apply(new NodeRegistered("w", new Dictionary<string, double>(), ["echo"], PriorityRange.All, 256, at));
        for (var i = 1; i <= count; i++)
        {
            var id = SchedulerState.TaskIdOf(i);
            state.Apply(new TaskSubmitted(id, i, "echo", "user-" + (i % 100), 0, """{"n":1}""", new Dictionary<string, double>(),
                new HashSet<string>(), null, 3, "s-" + i, at));
            state.Apply(new TaskStarted(id, "w", 1, at));
            state.Apply(new TaskFinished(id, TaskState.Succeeded, """{"n":1}""", null, at));
        }
        return state;
    }

    /// <summary>Saves one scheduler snapshot under the scheduler's persistence id, as a scheduler would have.</summary>
    private sealed class SnapshotWriter : UntypedPersistentActor
    {
        private readonly SchedulerImage _image;
        private readonly TaskCompletionSource<bool> _done;

        public SnapshotWriter(DurabilitySettings durability, SchedulerImage image, TaskCompletionSource<bool> done)
        {
            _image = image;
            _done = done;
            JournalPluginId = durability.JournalPluginId;
            SnapshotPluginId = durability.SnapshotPluginId;
        }

        public override string PersistenceId => DurabilitySettings.PersistenceId;

        protected override void OnRecover(object message)
        {
            if (message is RecoveryCompleted) SaveSnapshot(new SchedulerSnapshot(_image));
        }

        protected override void OnCommand(object message)
        {
            switch (message)
            {
                case SaveSnapshotSuccess: _done.TrySetResult(true); break;
                case SaveSnapshotFailure failed: _done.TrySetException(failed.Cause); break;
            }
        }
    }

    /// <summary>The best rate, the least CPU per submission (both are spoiled only by interference), and every run's rate.</summary>
    private static void Report(string store, IReadOnlyList<(double Rate, double CpuMicros)> runs) =>
        Console.WriteLine($"{store,-12} {runs.Max(r => r.Rate),12:N0} {runs.Min(r => r.CpuMicros),18:N0} {string.Join(" ", runs.Select(r => r.Rate.ToString("N0"))),30}");

    private static void RecoveryRow(string store, Func<string, SqlDurabilitySettings> database, int events, int window)
    {
        var journalOnly = database("recovery_journal").WithScheduler(s => s with { SnapshotEvery = int.MaxValue });
        var withSnapshot = database("recovery_snapshot").WithScheduler(s => s with { SnapshotEvery = events });
        Fill(journalOnly, events, window);
        Fill(withSnapshot, events, window);
        var fromJournal = Recover(journalOnly, events);
        var fromSnapshot = Recover(withSnapshot, events);
        Console.WriteLine($"{store,-12} {fromJournal.TotalMilliseconds,11:N0} ms {fromSnapshot.TotalMilliseconds,11:N0} ms");
    }

    private static SchedulerSettings Settings { get; } = SchedulerSettings.Default with { QueueCapPerUser = 1_000_000 };

    private static ActorSystem NewSystem(SqlDurabilitySettings durability) =>
        ActorSystem.Create("persistence-benchmark", ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(durability.Config));

    /// <summary>
    /// Submissions acknowledged per second, measured from the first send to the last acknowledgement, and the
    /// process's CPU time over the same span per submission.
    /// </summary>
    private static (double Rate, double CpuMicros) Throughput(SqlDurabilitySettings durability, int count, int window)
    {
        // As lighthouse serve starts: the database checked (and an SQLite one created) first.
        DatabaseCheck.VerifyAsync(durability).Wait(Patience);
        using var system = NewSystem(durability);
        var scheduler = system.ActorOf(SchedulerActor.Props(Settings, durability.Scheduler), "scheduler");
        // First contact: recovery (and, on a new database, its tables) is not what is measured.
        scheduler.Ask<QueuesView>(GetQueues.Instance, Patience).Wait();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Submit(system, scheduler, count, window);
        var rate = count / clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuMicros = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / count;
        system.Terminate().Wait(Patience);
        return (rate, cpuMicros);
    }

    private static void Fill(SqlDurabilitySettings durability, int count, int window)
    {
        DatabaseCheck.VerifyAsync(durability).Wait(Patience);
        using var system = NewSystem(durability);
        var scheduler = system.ActorOf(SchedulerActor.Props(Settings, durability.Scheduler), "scheduler");
        Submit(system, scheduler, count, window);
        // Let a due snapshot be written before the system goes.
        if (durability.Scheduler.SnapshotEvery <= count) Thread.Sleep(TimeSpan.FromSeconds(2));
        system.Terminate().Wait(Patience);
    }

    private static TimeSpan Recover(SqlDurabilitySettings durability, int expected)
    {
        using var system = NewSystem(durability);
        var clock = Stopwatch.StartNew();
        var scheduler = system.ActorOf(SchedulerActor.Props(Settings, durability.Scheduler), "scheduler");
        var queues = scheduler.Ask<QueuesView>(GetQueues.Instance, Patience).Result;
        var elapsed = clock.Elapsed;
        if (queues.Queued != expected) throw new InvalidOperationException($"recovered {queues.Queued} queued tasks, expected {expected}");
        system.Terminate().Wait(Patience);
        return elapsed;
    }

    private static void Submit(ActorSystem system, IActorRef scheduler, int count, int window)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new Submitter(scheduler, count, window, done)));
        if (!done.Task.Wait(Patience)) throw new TimeoutException($"{count} submissions were not all acknowledged within {Patience}");
        if (done.Task.Result != count) throw new InvalidOperationException($"only {done.Task.Result} of {count} submissions were accepted");
    }

    /// <summary>Keeps <c>window</c> submissions in flight (100 users in turn) until <c>count</c> are acknowledged.</summary>
    private sealed class Submitter : ReceiveActor
    {
        private readonly IActorRef _scheduler;
        private readonly int _count;
        private int _sent;
        private int _accepted;

        public Submitter(IActorRef scheduler, int count, int window, TaskCompletionSource<int> done)
        {
            _scheduler = scheduler;
            _count = count;
            Receive<SubmissionAccepted>(_ =>
            {
                if (++_accepted == _count) done.TrySetResult(_accepted);
                else SendNext();
            });
            Receive<SubmissionRejected>(rejected => done.TrySetException(new InvalidOperationException(rejected.Reason)));
            for (var i = 0; i < Math.Min(window, count); i++) SendNext();
        }

        private void SendNext()
        {
            if (_sent == _count) return;
            var n = _sent++;
            _scheduler.Tell(new SubmitTask("echo", """{"n":1}""", "user-" + (n % 100), SubmissionId: "s-" + n));
        }
    }

    private sealed class ScratchDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("lighthouse-bench-").FullName;

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path, recursive: true);
        }
    }
}
