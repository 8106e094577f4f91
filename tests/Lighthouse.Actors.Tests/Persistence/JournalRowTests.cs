using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.TestKit;
using Lighthouse.Persistence;
using Lighthouse.Persistence.Sql;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// What the scheduler's journal rows hold on an SQLite file: one row per write however many events it carries,
/// the same state recovered from batch rows, from rows of one event each (journals written before batches) and
/// from a mix, and a row that cannot be decoded stopping the recovery without touching the database.
/// </summary>
public sealed class JournalRowTests(ITestOutputHelper output) : DurableSchedulerKit(output)
{
    [Fact]
    public void The_events_of_every_message_waiting_in_the_mailbox_are_written_as_one_row()
    {
        const int submissions = 50;
        var generation = StartWithAllWaiting(submissions, i => $"{{\"n\":{i}}}");

        var accepted = Enumerable.Range(0, submissions).Select(_ => generation.Client.ExpectMsg<SubmissionAccepted>(Wait)).ToList();

        Assert.Equal(Enumerable.Range(0, submissions).Select(i => "s-" + i), accepted.Select(a => a.SubmissionId));
        var row = Assert.Single(JournalRows(DatabaseFile));
        Assert.Equal((1, "EB"), (row.Sequence, row.Manifest));
        var events = Assert.IsType<EventBatch>(SchedulerJournalSerializer.Decode(row.Message, row.Manifest)).Events;
        Assert.Equal(accepted.Select(a => a.TaskId), events.Select(e => Assert.IsType<TaskSubmitted>(e).TaskId));
    }

    [Fact]
    public void A_write_of_more_events_than_a_row_holds_goes_as_several_rows_that_keep_every_payload_byte_for_byte()
    {
        // More submissions than one row takes, gathered into one write as in the test above: the journal plugin
        // inserts several rows in one statement, with their bytes bound as parameters (not as literals in the SQL).
        const int submissions = EventBatch.MaxEvents + 40;
        // Quotes, backslashes, non-ASCII text and characters that SQL or a hex literal could mangle.
        static string Payload(int i) => $"{{\"n\":{i},\"text\":\"'x' \\\" 0x00 é 日本 🚀 {new string('z', i % 7)}\"}}";
        var generation = StartWithAllWaiting(submissions, Payload);
        var accepted = Enumerable.Range(0, submissions).Select(_ => generation.Client.ExpectMsg<SubmissionAccepted>(Wait)).ToList();

        var rows = JournalRows(DatabaseFile);
        Assert.True(rows.Count >= 2, $"expected the write to be split into several rows, found {rows.Count}");
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), rows.Select(r => r.Sequence));
        var batches = rows.Select(r => Assert.IsType<EventBatch>(SchedulerJournalSerializer.Decode(r.Message, r.Manifest)).Events).ToList();
        Assert.All(batches, b => Assert.True(b.Count <= EventBatch.MaxEvents));
        var events = batches.SelectMany(b => b).ToList();
        Assert.Equal(accepted.Select(a => a.TaskId), events.Select(e => Assert.IsType<TaskSubmitted>(e).TaskId));
        Assert.Equal(Enumerable.Range(0, submissions).Select(Payload), events.Select(e => ((TaskSubmitted)e).Payload));
        var before = Views(generation);
        Stop(generation);

        // Every task comes back from the rows, queued in its order.
        var recovered = Start();
        Assert.Equal(before, Views(recovered));
    }

    [Fact]
    public void Queued_running_and_finished_tasks_and_nodes_recover_alike_from_batch_rows_from_single_event_rows_and_from_a_mix()
    {
        var first = Start();
        var before = RunScenario(first);
        Stop(first);
        var rows = JournalRows(DatabaseFile);
        Assert.All(rows, r => Assert.Equal("EB", r.Manifest));
        var events = rows.SelectMany(r => ((EventBatch)SchedulerJournalSerializer.Decode(r.Message, r.Manifest)).Events).ToList();
        Assert.Contains(events, e => e is NodeRegistered);
        Assert.Contains(events, e => e is TaskFinished { State: TaskState.Succeeded });
        Assert.Contains(events, e => e is TaskCollected);

        // Batch rows, as this build writes them.
        var second = Start();
        Assert.Equal(before, Views(second));
        Stop(second);

        // One event per row, as builds before batches wrote them.
        var legacy = Directory.File("legacy.db");
        WriteRows(legacy, events.Cast<object>().ToList());
        Assert.Equal(events.Count, JournalRows(legacy).Count(r => r.Manifest != "EB"));
        var fromLegacy = Start(DatabaseAt(legacy));
        Assert.Equal(before, Views(fromLegacy));
        Stop(fromLegacy);

        // An old journal that a new build carried on: single events first, then batches of three.
        var mixed = Directory.File("mixed.db");
        var half = events.Count / 2;
        WriteRows(mixed, [.. events.Take(half), .. events.Skip(half).Chunk(3).Select(chunk => new EventBatch(chunk))]);
        var fromMixed = Start(DatabaseAt(mixed));
        Assert.Equal(before, Views(fromMixed));
    }

    [Fact]
    public void A_batch_row_that_cannot_be_decoded_stops_recovery_naming_the_row_and_leaves_the_database_as_it_was()
    {
        var first = Start();
        for (var i = 0; i < 3; i++) first.Submit(submissionId: "s-" + i);
        Stop(first);
        Assert.Equal(3, JournalRows(DatabaseFile).Count);
        Scalar("UPDATE journal SET message = substr(message, 1, length(message) - 2) WHERE sequence_number = 2");
        var damaged = Contents();

        TestProbe? errors = null;
        var second = Start(beforeStart: system =>
        {
            errors = CreateTestProbe(system);
            system.EventStream.Subscribe(errors.Ref, typeof(Error));
        });
        second.Client.Watch(second.Scheduler);

        second.Client.ExpectTerminated(second.Scheduler, Wait);
        var error = errors!.FishForMessage<Error>(e => e.Message.ToString()!.Contains("cannot recover"), Wait);
        var text = error.Message.ToString()!;
        Assert.Contains($"the journal row of \"{DurabilitySettings.PersistenceId}\" after sequence number 1 cannot be read", text);
        Assert.Contains("corrupt scheduler journal record of manifest \"EB\" (EventBatch", text);
        Assert.Equal(damaged, Contents());
    }

    /// <summary>
    /// Eight tasks through two nodes: one succeeded and read (collected), one failed, three running (one of them
    /// asked to cancel), two queued and one cancelled while queued. Returns the read models at the end.
    /// </summary>
    /// <summary>
    /// Starts the scheduler with its database locked until <paramref name="submissions"/> submissions (user-0..2, ids
    /// s-0..) are in its mailbox: its recovery cannot end before, so it handles all of them in one go, as a busy
    /// scheduler would.
    /// </summary>
    private Generation StartWithAllWaiting(int submissions, Func<int, string> payload)
    {
        using var locker = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        locker.Open();
        using var exclusive = locker.CreateCommand();
        exclusive.CommandText = "BEGIN EXCLUSIVE";
        exclusive.ExecuteNonQuery();
        var generation = Start();
        for (var i = 0; i < submissions; i++)
            generation.Client.Send(generation.Scheduler, new SubmitTask("echo", payload(i), "user-" + (i % 3), SubmissionId: "s-" + i));
        return generation;
    }

    private static StateViews RunScenario(Generation generation)
    {
        var w1 = generation.Worker("w1", slots: 2);
        var w2 = generation.Worker("w2", slots: 1);
        for (var i = 0; i < 8; i++) generation.Submit(i % 3 == 0 ? "bob" : "alice", priority: i % 2, payload: $"{{\"n\":{i}}}");
        var onW1 = new[] { w1.ExpectMsg<StartTask>(Wait).TaskId, w1.ExpectMsg<StartTask>(Wait).TaskId };
        var onW2 = w2.ExpectMsg<StartTask>(Wait).TaskId;

        w1.Reply(new ReportSuccess(onW1[0], "{\"ok\":true}"));
        w1.ExpectMsg<StartTask>(Wait);
        w2.Reply(new ReportFailure(onW2, "boom"));
        w2.ExpectMsg<StartTask>(Wait);
        Assert.Equal(TaskState.Succeeded, Assert.IsType<TaskInfo>(generation.Ask(new GetTaskStatus(onW1[0]))).State);
        var queued = generation.Tasks("alice").Concat(generation.Tasks("bob")).Where(t => t.State == TaskState.Queued).Select(t => t.TaskId).ToList();
        Assert.Equal(3, queued.Count);
        Assert.Equal(new TaskCancelled(queued[^1]), generation.Ask(new CancelTask(queued[^1])));
        Assert.IsType<CancelPending>(generation.Ask(new CancelTask(onW1[1])));
        Assert.Equal(onW1[1], w1.ExpectMsg<CancelRunningTask>(Wait).TaskId);

        var states = generation.Tasks("alice").Concat(generation.Tasks("bob")).GroupBy(t => t.State).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal((1, 1, 1, 3, 2), (states[TaskState.Succeeded], states[TaskState.Failed], states[TaskState.Cancelled], states[TaskState.Running], states[TaskState.Queued]));
        return Views(generation);
    }

    private SqlDurabilitySettings DatabaseAt(string file) => SqlDurabilitySettings.Sqlite(file).WithScheduler(s => s with { RecoveryGrace = TimeSpan.FromSeconds(30) });

    /// <summary>Persists <paramref name="rows"/> to a new journal at <paramref name="file"/>, each as a row of its own, under the scheduler's persistence id.</summary>
    private void WriteRows(string file, IReadOnlyList<object> rows)
    {
        var system = NewSystem(DatabaseAt(file));
        var writer = system.ActorOf(Props.Create(() => new JournalWriter()));
        var probe = CreateTestProbe(system);
        probe.Send(writer, rows);
        Assert.Equal(rows.Count, probe.ExpectMsg<int>(Wait));
        Assert.True(system.Terminate().Wait(Wait), "the actor system did not terminate");
    }

    private static List<(long Sequence, string Manifest, byte[] Message)> JournalRows(string file)
    {
        using var db = new SqliteConnection($"Data Source={file};Pooling=False");
        db.Open();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT sequence_number, manifest, message FROM journal WHERE persistence_id = $id AND deleted = 0 ORDER BY sequence_number";
        query.Parameters.AddWithValue("$id", DurabilitySettings.PersistenceId);
        using var reader = query.ExecuteReader();
        var rows = new List<(long, string, byte[])>();
        while (reader.Read()) rows.Add((reader.GetInt64(0), reader.GetString(1), (byte[])reader[2]));
        return rows;
    }

    /// <summary>Everything the journal and snapshot tables hold, as text.</summary>
    private string Contents()
    {
        using var db = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        db.Open();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT COALESCE(group_concat(sequence_number || ':' || manifest || ':' || hex(message) || ':' || deleted, ';'), '') FROM journal;" +
                            "SELECT COUNT(*) FROM snapshot";
        using var reader = query.ExecuteReader();
        Assert.True(reader.Read());
        var journal = reader.GetString(0);
        Assert.True(reader.NextResult() && reader.Read());
        return journal + " | snapshots: " + reader.GetInt64(0);
    }

    /// <summary>Writes what it is sent, each item a row of its own, as a scheduler of an older build did with its events.</summary>
    private sealed class JournalWriter : UntypedPersistentActor
    {
        public JournalWriter()
        {
            JournalPluginId = SqlJournalConfig.Journal;
            SnapshotPluginId = SqlJournalConfig.SnapshotStore;
        }

        public override string PersistenceId => DurabilitySettings.PersistenceId;

        protected override void OnRecover(object message)
        {
        }

        protected override void OnCommand(object message)
        {
            var rows = (IReadOnlyList<object>)message;
            var requester = Sender;
            PersistAll(rows, _ => { });
            DeferAsync(rows.Count, count => requester.Tell(count));
        }
    }
}
