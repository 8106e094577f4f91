using System.Runtime.Serialization;
using Lighthouse.Persistence;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// The tagged fields that dependencies and concurrency keys brought (docs/task-policies.md, "Wire and journal compatibility"):
/// their bytes, and what makes them forward-extensible: a reader skips a field it does not know and the end of a field it
/// knows only in part. Rows written before them (TS, TQ) still read, with no dependency and no key.
/// </summary>
public sealed class TaggedFieldsTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static TaskSubmitted Submitted(IReadOnlyList<string>? after = null, string? key = null, TimeSpan? timeout = null) =>
        new("task-2", 2, "echo", "alice", 0, "{}", new Dictionary<string, double>(), new HashSet<string>(), null, 3, null, At)
        {
            After = after,
            ConcurrencyKey = key,
            Timeout = timeout,
        };

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    [Fact]
    public void A_submission_with_a_dependency_is_stored_as_T2_the_TQ_record_then_its_tagged_fields()
    {
        var submitted = Submitted(after: ["task-1"]);
        var t2 = SchedulerJournalSerializer.Encode(submitted);

        Assert.Equal("T2", PersistenceAkka.Serializer.Manifest(submitted));
        // The TS record; no retry, no timeout, no not-before; tag 1 (after), its length (8, four bytes), ["task-1"]; tag 0 ends.
        var ts = SchedulerJournalSerializer.Encode(submitted with { After = null });
        Assert.Equal(Hex(ts) + "000000" + "01" + "08000000" + "02" + "077461736B2D31" + "00", Hex(t2));
        Assert.Equal(["task-1"], Assert.IsType<TaskSubmitted>(SchedulerJournalSerializer.Decode(t2, "T2")).After);
    }

    [Fact]
    public void Rows_written_before_the_tagged_fields_still_read_without_dependencies_or_key()
    {
        var plain = Submitted();
        var withTimeout = Submitted(timeout: TimeSpan.FromSeconds(3));

        var ts = Assert.IsType<TaskSubmitted>(SchedulerJournalSerializer.Decode(SchedulerJournalSerializer.Encode(plain), "TS"));
        var tq = Assert.IsType<TaskSubmitted>(SchedulerJournalSerializer.Decode(SchedulerJournalSerializer.Encode(withTimeout), "TQ"));

        Assert.Equal("TS", PersistenceAkka.Serializer.Manifest(plain));
        Assert.Equal("TQ", PersistenceAkka.Serializer.Manifest(withTimeout));
        Assert.Null(ts.After);
        Assert.Null(tq.ConcurrencyKey);
        Assert.Equal(TimeSpan.FromSeconds(3), tq.Timeout);
    }

    [Fact]
    public void A_field_of_an_unknown_tag_is_skipped_and_so_is_the_unread_end_of_a_known_one()
    {
        var submitted = Submitted(after: ["task-1"], key: "db");
        var bytes = SchedulerJournalSerializer.Encode(submitted);
        // A later writer's field, tag 9, three bytes, before the end marker.
        byte[] unknown = [.. bytes[..^1], 9, 3, 0, 0, 0, 0xAA, 0xBB, 0xCC, 0];
        var back = Assert.IsType<TaskSubmitted>(SchedulerJournalSerializer.Decode(unknown, "T2"));
        Assert.Equal(["task-1"], back.After);
        Assert.Equal("db", back.ConcurrencyKey);

        // A later writer's key field with something after the key ("db" then one more byte): the key still reads.
        var keyOnly = SchedulerJournalSerializer.Encode(Submitted(key: "db"));
        var lengthAt = keyOnly.Length - 1 - 3 - 4; // the key "db" is 3 bytes, after its 4 bytes of length, before the end marker
        Assert.Equal(3, keyOnly[lengthAt]);
        byte[] longer = [.. keyOnly[..lengthAt], 4, .. keyOnly[(lengthAt + 1)..^1], 0x7F, 0];
        Assert.Equal("db", Assert.IsType<TaskSubmitted>(SchedulerJournalSerializer.Decode(longer, "T2")).ConcurrencyKey);
    }

    [Fact]
    public void A_field_whose_length_runs_past_the_record_is_corruption_naming_the_field()
    {
        var bytes = SchedulerJournalSerializer.Encode(Submitted(after: ["task-1"]));
        var lengthAt = bytes.Length - 1 - 8 - 4;
        bytes[lengthAt] = 200;

        var error = Assert.Throws<SerializationException>(() => SchedulerJournalSerializer.Decode(bytes, "T2"));
        Assert.Contains("TaskSubmitted.Fields.Length", error.Message);
    }
}
