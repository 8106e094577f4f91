using Lighthouse.Protocol;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// A durable scheduler holds a client's answer until the journal has the events it depends on; a
/// <see cref="CorrelatedAnswer"/> held that way keeps its request's id.
/// </summary>
public sealed class CorrelatedReplyTests(ITestOutputHelper output) : DurableSchedulerKit(output)
{
    [Fact]
    public void Answers_held_for_the_journal_keep_their_ids_and_their_order()
    {
        var first = Start();
        first.Client.Send(first.Scheduler, new MessageBatch([
            new CorrelatedRequest(100, new SubmitTask("echo", "{}", "alice", SubmissionId: "a")),
            // Answered after the write the submission started, though it writes nothing itself.
            new CorrelatedRequest(101, new ListTasks("alice")),
        ]));

        var answers = first.Client.ExpectMsg<MessageBatch>(Wait).Messages.Cast<CorrelatedAnswer>().ToList();

        Assert.Equal([100L, 101], answers.Select(a => a.CorrelationId));
        var accepted = Assert.IsType<SubmissionAccepted>(answers[0].Answer);
        Assert.Equal([accepted.TaskId], Assert.IsType<TaskList>(answers[1].Answer).Tasks.Select(t => t.TaskId));
        Stop(first);

        var second = Start();
        Assert.Equal([accepted.TaskId], second.Tasks("alice").Select(t => t.TaskId));
    }

    [Fact]
    public void A_correlated_submission_whose_event_cannot_be_written_is_never_answered()
    {
        // Writes give up after 1 s of a locked database (SQLite's busy timeout), instead of the default 30 s.
        var durability = Durability() with { ConnectionString = $"Data Source={DatabaseFile};Default Timeout=1" };
        var first = Start(durability);
        first.Submit(submissionId: "kept");
        Watch(first.Scheduler);

        using var locker = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        locker.Open();
        using (var exclusive = locker.CreateCommand())
        {
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            exclusive.ExecuteNonQuery();
        }
        first.Client.Send(first.Scheduler, new CorrelatedRequest(9, new SubmitTask("echo", "{}", "alice", SubmissionId: "lost")));

        ExpectTerminated(first.Scheduler, Wait);
        first.Client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
