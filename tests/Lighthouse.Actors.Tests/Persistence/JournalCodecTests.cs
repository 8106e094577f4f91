using System.Runtime.Serialization;
using Akka.Actor;
using Lighthouse.Actors.Tests.Serialization;
using Lighthouse.Persistence;
using Lighthouse.Persistence.Sql;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// The stored form of the scheduler's events, one per row or many in a batch row: every event type has one, it
/// round-trips exactly, it is versioned, and damaged bytes fail naming the record. A stored record outlives the build that wrote it, so
/// manifests and bytes are pinned.
/// </summary>
public sealed class JournalCodecTests
{
    // Found independently of the serializer's own table, so a new event without a codec fails here by name.
    private static readonly Type[] EventTypes = typeof(SchedulerEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(SchedulerEvent)) && !t.IsAbstract)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    private static readonly Dictionary<Type, string> PinnedManifests = new()
    {
        [typeof(TaskSubmitted)] = "TS", [typeof(TaskStarted)] = "TB", [typeof(TaskAdopted)] = "TA", [typeof(TaskUnplaced)] = "TU",
        [typeof(TaskProgressed)] = "TP", [typeof(TaskCancelRequested)] = "TC", [typeof(TaskFinished)] = "TF",
        [typeof(TaskRequeued)] = "TR", [typeof(TaskRetrying)] = "TY", [typeof(TaskDue)] = "TD", [typeof(TaskCollected)] = "TK", [typeof(TaskForgotten)] = "TX",
        [typeof(NodeRegistered)] = "NR", [typeof(NodeReachabilityChanged)] = "NC", [typeof(NodeRemoved)] = "NX",
        [typeof(ConcurrencyLimitChanged)] = "CL",
        [typeof(UserPolicyChanged)] = "UP",
    };

    public static TheoryData<string> EventTypeNames => new(EventTypes.Select(t => t.Name));

    private static Type EventType(string name) => EventTypes.Single(t => t.Name == name);

    private static object RoundTrip(object item) =>
        SchedulerJournalSerializer.Decode(SchedulerJournalSerializer.Encode(item), Manifest(item));

    private static string Manifest(object item) => PersistenceAkka.Serializer.Manifest(item);

    [Fact]
    public void The_reflection_finds_the_events_this_suite_was_written_against()
    {
        Assert.Contains(typeof(TaskSubmitted), EventTypes);
        Assert.Contains(typeof(NodeRemoved), EventTypes);
        Assert.True(EventTypes.Length >= 13, $"only {EventTypes.Length} event types found");
    }

    [Theory]
    [MemberData(nameof(EventTypeNames))]
    public void Every_event_type_is_stored_by_the_journal_serializer_with_its_pinned_manifest(string typeName)
    {
        var type = EventType(typeName);
        Assert.Contains(type, SchedulerJournalSerializer.OwnedTypes);
        Assert.True(PinnedManifests.TryGetValue(type, out var pinned), $"{typeName} has no pinned manifest in this test: add it");
        // A submission with every field is stored as "T2" ("TQ" and tagged fields); one without, as "TS" always was.
        // A node with lanes is stored as "NL", the "NR" record and its lanes.
        Assert.Equal(type == typeof(TaskSubmitted) ? "T2" : type == typeof(NodeRegistered) ? "NL" : pinned, Manifest(SampleFactory.Create(type, nullsWherePossible: false)));
        Assert.Equal(pinned, Manifest(SampleFactory.Create(type, nullsWherePossible: true)));
    }

    [Theory]
    [MemberData(nameof(EventTypeNames))]
    public void Every_event_round_trips_with_values_and_with_nulls(string typeName)
    {
        foreach (var nulls in new[] { false, true })
        {
            var sample = SampleFactory.Create(EventType(typeName), nulls);
            WireEquality.AssertSame(sample, RoundTrip(sample));
        }
    }

    [Theory]
    [MemberData(nameof(EventTypeNames))]
    public void Akka_stores_every_event_with_the_journal_serializer(string typeName)
    {
        var sample = SampleFactory.Create(EventType(typeName), nullsWherePossible: false);
        Assert.IsType<SchedulerJournalSerializer>(PersistenceAkka.System.Serialization.FindSerializerFor(sample));
    }

    [Fact]
    public void Collections_come_back_in_ordinal_order_as_the_decisions_build_them()
    {
        var submitted = new TaskSubmitted("task-1", 1, "echo", "alice", 0, "{}",
            new Dictionary<string, double> { ["b"] = 1, ["B"] = 2, ["a"] = 3 }, new HashSet<string> { "z", "Z" }, new HashSet<string> { "y", "x" }, 3, null, DateTimeOffset.UnixEpoch);

        var back = Assert.IsType<TaskSubmitted>(RoundTrip(submitted));

        Assert.Equal(["B", "a", "b"], back.Requirements.Keys);
        Assert.Equal(["Z", "z"], back.Immunities);
        Assert.Equal(["x", "y"], back.AversionGroups!);
    }

    [Fact]
    public void Empty_requirements_and_sets_come_back_empty_and_read_only_and_a_missing_aversion_set_stays_missing()
    {
        var submitted = new TaskSubmitted("task-1", 1, "echo", "alice", 0, "{}",
            new Dictionary<string, double>(), new HashSet<string>(), new HashSet<string>(), 3, null, DateTimeOffset.UnixEpoch);

        var back = Assert.IsType<TaskSubmitted>(RoundTrip(submitted));
        var none = Assert.IsType<TaskSubmitted>(RoundTrip(submitted with { AversionGroups = null }));

        Assert.Empty(back.Requirements);
        Assert.Empty(back.Immunities);
        Assert.Empty(back.AversionGroups!);
        Assert.False(back.Requirements is IDictionary<string, double> { IsReadOnly: false });
        Assert.False(back.Immunities is ISet<string> and ICollection<string> { IsReadOnly: false });
        Assert.Null(none.AversionGroups);
    }

    [Fact]
    public void A_stored_requirement_or_set_member_named_twice_is_refused_naming_the_field()
    {
        var submitted = new TaskSubmitted("task-1", 1, "echo", "alice", 0, "{}",
            new Dictionary<string, double> { ["a"] = 1, ["b"] = 2 }, new HashSet<string> { "c", "d" }, null, 3, null, DateTimeOffset.UnixEpoch);
        var bytes = SchedulerJournalSerializer.Encode(submitted);
        // "b" and "d" appear nowhere else in the record: renamed, they repeat "a" and "c".
        byte[] Renamed(char from, char to) => bytes.Select(b => b == (byte)from ? (byte)to : b).ToArray();

        var requirement = Assert.Throws<SerializationException>(() => SchedulerJournalSerializer.Decode(Renamed('b', 'a'), "TS"));
        var immunity = Assert.Throws<SerializationException>(() => SchedulerJournalSerializer.Decode(Renamed('d', 'c'), "TS"));

        Assert.Contains("TaskSubmitted.Requirements: key \"a\" appears twice", requirement.Message);
        Assert.Contains("TaskSubmitted.Immunities: \"c\" appears twice in a set", immunity.Message);
    }

    [Fact]
    public void The_bytes_of_an_event_are_pinned()
    {
        var forgotten = new TaskForgotten("t-1", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)));
        byte[] ticks = BitConverter.GetBytes(forgotten.At.Ticks);

        // Format version 1; the id as (length + 1) and UTF-8; the clock ticks (8 bytes little-endian); the offset in minutes, zigzagged.
        byte[] expected = [1, 4, (byte)'t', (byte)'-', (byte)'1', .. ticks, 120];
        Assert.Equal(expected, SchedulerJournalSerializer.Encode(forgotten));
    }

    [Fact]
    public void A_record_of_a_newer_format_is_refused_saying_so()
    {
        var bytes = SchedulerJournalSerializer.Encode(new NodeRemoved("n1", DateTimeOffset.UnixEpoch));
        bytes[0] = 2;

        var error = Assert.Throws<SerializationException>(() => SchedulerJournalSerializer.Decode(bytes, "NX"));
        Assert.Contains("manifest \"NX\"", error.Message);
        Assert.Contains("format version 2, but this build reads versions 1 to 1", error.Message);
    }

    [Fact]
    public void Every_truncation_of_a_record_fails_naming_the_record()
    {
        var sample = SampleFactory.Create(typeof(TaskSubmitted), nullsWherePossible: false);
        var bytes = SchedulerJournalSerializer.Encode(sample);
        // With every field set, the sample is stored under the tagged manifest "T2" (see MessageCodec.Tagged).
        var manifest = Manifest(sample);
        Assert.Equal("T2", manifest);
        for (var length = 0; length < bytes.Length; length++)
        {
            var error = Assert.Throws<SerializationException>(() => SchedulerJournalSerializer.Decode(bytes[..length], manifest));
            Assert.Contains("corrupt scheduler journal record of manifest \"T2\" (TaskSubmitted", error.Message);
        }
    }

    [Fact]
    public void Trailing_bytes_and_unknown_manifests_are_refused()
    {
        var bytes = SchedulerJournalSerializer.Encode(new NodeRemoved("n1", DateTimeOffset.UnixEpoch));
        Assert.Contains("trailing", Assert.Throws<SerializationException>(() => SchedulerJournalSerializer.Decode([.. bytes, 0], "NX")).Message);
        Assert.Contains("unknown scheduler journal manifest \"QQ\"", Assert.Throws<SerializationException>(() => SchedulerJournalSerializer.Decode(bytes, "QQ")).Message);
    }

    [Fact]
    public void A_batch_row_holds_every_event_type_with_values_and_with_nulls_in_order()
    {
        var events = EventTypes.SelectMany(t => new[] { false, true }.Select(nulls => (SchedulerEvent)SampleFactory.Create(t, nulls))).ToList();
        var batch = new EventBatch(events);

        var back = Assert.IsType<EventBatch>(RoundTrip(batch));

        WireEquality.AssertSame(batch, back);
        Assert.Equal("EB", Manifest(batch));
        Assert.IsType<SchedulerJournalSerializer>(PersistenceAkka.System.Serialization.FindSerializerFor(batch));
    }

    [Fact]
    public void The_bytes_of_a_batch_row_are_pinned()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1));
        byte[] ticks = BitConverter.GetBytes(at.Ticks);

        // Format version 1; the count (+ 1); each event as its manifest (length + 1, then the letters) and its own encoding.
        byte[] expected =
        [
            1, 3,
            3, (byte)'T', (byte)'X', 4, (byte)'t', (byte)'-', (byte)'1', .. ticks, 120,
            3, (byte)'N', (byte)'X', 3, (byte)'n', (byte)'1', .. ticks, 120,
        ];
        Assert.Equal(expected, SchedulerJournalSerializer.Encode(new EventBatch([new TaskForgotten("t-1", at), new NodeRemoved("n1", at)])));
    }

    [Fact]
    public void Every_truncation_of_a_batch_row_fails_naming_the_row_and_the_event()
    {
        var bytes = SchedulerJournalSerializer.Encode(new EventBatch([
            new NodeRemoved("n1", DateTimeOffset.UnixEpoch), (SchedulerEvent)SampleFactory.Create(typeof(TaskSubmitted), nullsWherePossible: false)]));
        var firstEventEnds = SchedulerJournalSerializer.Encode(new EventBatch([new NodeRemoved("n1", DateTimeOffset.UnixEpoch)])).Length;
        for (var length = 0; length < bytes.Length; length++)
        {
            var error = Assert.Throws<SerializationException>(() => SchedulerJournalSerializer.Decode(bytes[..length], "EB"));
            Assert.Contains("corrupt scheduler journal record of manifest \"EB\" (EventBatch", error.Message);
            if (length > firstEventEnds + 3) Assert.Contains("event 2 of 2 (TaskSubmitted)", error.Message);
        }
    }

    [Fact]
    public void A_batch_of_no_events_or_holding_what_is_not_an_event_is_refused()
    {
        Assert.Contains("no events", Assert.Throws<SerializationException>(() => SchedulerJournalSerializer.Decode([1, 1], "EB")).Message);
        Assert.Contains("at least one event", Assert.Throws<SerializationException>(() => SchedulerJournalSerializer.Encode(new EventBatch([]))).Message);

        // A snapshot's manifest inside a batch: "SS" is stored by the same serializer, but it is no event.
        var snapshot = SchedulerJournalSerializer.Encode(new SchedulerSnapshot(new SchedulerState(SchedulerSettings.Default).Capture()));
        byte[] batch = [1, 2, 3, (byte)'S', (byte)'S', .. snapshot[1..]];
        Assert.Contains("event 1 of 1 has the manifest \"SS\", which is not a scheduler event's",
            Assert.Throws<SerializationException>(() => SchedulerJournalSerializer.Decode(batch, "EB")).Message);
    }

    [Fact]
    public void A_snapshot_is_stored_by_the_journal_serializer()
    {
        var snapshot = new SchedulerSnapshot(new SchedulerState(SchedulerSettings.Default).Capture());
        Assert.IsType<SchedulerJournalSerializer>(PersistenceAkka.System.Serialization.FindSerializerFor(snapshot));
        Assert.Equal("SS", Manifest(snapshot));
    }
}

/// <summary>One actor system with the persistence configuration, for Akka's view of the serializers.</summary>
internal static class PersistenceAkka
{
    public static ActorSystem System { get; } = ActorSystem.Create("journal-codec-tests",
        Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(PersistenceConfig.Serialization));

    public static SchedulerJournalSerializer Serializer { get; } = new((ExtendedActorSystem)System);
}
