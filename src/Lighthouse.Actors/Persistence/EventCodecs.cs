using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;
using Lighthouse.Scheduling;
using static Lighthouse.Persistence.JournalFieldCodec;

namespace Lighthouse.Persistence;

/// <summary>
/// Journal encoding of every <see cref="SchedulerEvent"/>, on the wire machinery of the protocol
/// (<see cref="WireWriter"/>/<see cref="WireReader"/>), with the journal's field conventions of
/// <see cref="JournalFieldCodec"/>. The manifests are stored with every event and must never change meaning.
/// </summary>
internal static class EventCodecs
{
    public static IReadOnlyList<MessageCodec> All { get; } =
    [
        // Policies came later: a submission with one is stored as "TQ", the "TS" encoding and its policies (see MessageCodec.Extended).
        // Dependencies and concurrency keys came later still: "T2", the "TQ" encoding and tagged fields (see MessageCodec.Tagged).
        MessageCodec.Tagged<TaskSubmitted>("TS", "TQ", "T2", static e => e.HasPolicies, static e => e.HasCoordination,
            WriteSubmitted, ReadSubmitted, WriteSubmittedPolicies, ReadSubmittedPolicies, WriteSubmittedTags, ReadSubmittedTags),
        MessageCodec.For<TaskStarted>("TB",
            static (w, e) => { w.WriteString(e.TaskId); w.WriteString(e.Node); w.WriteInt(e.Attempt); w.WriteDateTimeOffset(e.At); },
            static (ref r) => new TaskStarted(Text(ref r, "TaskStarted.TaskId"), Text(ref r, "TaskStarted.Node"), r.ReadInt("TaskStarted.Attempt"), r.ReadDateTimeOffset("TaskStarted.At"))),
        MessageCodec.For<TaskAdopted>("TA",
            static (w, e) => { w.WriteString(e.TaskId); w.WriteString(e.Node); w.WriteInt(e.Attempt); w.WriteDateTimeOffset(e.At); },
            static (ref r) => new TaskAdopted(Text(ref r, "TaskAdopted.TaskId"), Text(ref r, "TaskAdopted.Node"), r.ReadInt("TaskAdopted.Attempt"), r.ReadDateTimeOffset("TaskAdopted.At"))),
        MessageCodec.For<TaskUnplaced>("TU",
            static (w, e) =>
            {
                w.WriteString(e.TaskId);
                w.WriteString(e.Reason);
                w.WriteBool(e.WaitsForCapacity);
                w.WriteInt(e.CapacityEpoch);
                w.WriteInt(e.TopologyEpoch);
                w.WriteDateTimeOffset(e.At);
            },
            static (ref r) => new TaskUnplaced(
                Text(ref r, "TaskUnplaced.TaskId"),
                Text(ref r, "TaskUnplaced.Reason"),
                r.ReadBool("TaskUnplaced.WaitsForCapacity"),
                r.ReadLong("TaskUnplaced.CapacityEpoch"),
                r.ReadLong("TaskUnplaced.TopologyEpoch"),
                r.ReadDateTimeOffset("TaskUnplaced.At"))),
        MessageCodec.For<TaskProgressed>("TP",
            static (w, e) => { w.WriteString(e.TaskId); w.WriteDouble(e.Percent); w.WriteDateTimeOffset(e.At); },
            static (ref r) => new TaskProgressed(Text(ref r, "TaskProgressed.TaskId"), r.ReadDouble("TaskProgressed.Percent"), r.ReadDateTimeOffset("TaskProgressed.At"))),
        MessageCodec.For<TaskCancelRequested>("TC",
            static (w, e) => { w.WriteString(e.TaskId); w.WriteDateTimeOffset(e.At); },
            static (ref r) => new TaskCancelRequested(Text(ref r, "TaskCancelRequested.TaskId"), r.ReadDateTimeOffset("TaskCancelRequested.At"))),
        MessageCodec.For<TaskFinished>("TF",
            static (w, e) =>
            {
                w.WriteString(e.TaskId);
                w.WriteInt((int)e.State);
                w.WriteString(e.Result);
                w.WriteString(e.Error);
                w.WriteDateTimeOffset(e.At);
            },
            static (ref r) => new TaskFinished(
                Text(ref r, "TaskFinished.TaskId"),
                r.ReadEnum<TaskState>("TaskFinished.State"),
                r.ReadString("TaskFinished.Result"),
                r.ReadString("TaskFinished.Error"),
                r.ReadDateTimeOffset("TaskFinished.At"))),
        MessageCodec.For<TaskRequeued>("TR",
            static (w, e) => { w.WriteString(e.TaskId); w.WriteString(e.Node); w.WriteDateTimeOffset(e.At); },
            static (ref r) => new TaskRequeued(Text(ref r, "TaskRequeued.TaskId"), Text(ref r, "TaskRequeued.Node"), r.ReadDateTimeOffset("TaskRequeued.At"))),
        MessageCodec.For<TaskRetrying>("TY",
            static (w, e) => { w.WriteString(e.TaskId); w.WriteString(e.Error); w.WriteDateTimeOffset(e.RetryAt); w.WriteDateTimeOffset(e.At); },
            static (ref r) => new TaskRetrying(Text(ref r, "TaskRetrying.TaskId"), Text(ref r, "TaskRetrying.Error"),
                r.ReadDateTimeOffset("TaskRetrying.RetryAt"), r.ReadDateTimeOffset("TaskRetrying.At"))),
        MessageCodec.For<TaskDue>("TD",
            static (w, e) => { w.WriteString(e.TaskId); w.WriteDateTimeOffset(e.At); },
            static (ref r) => new TaskDue(Text(ref r, "TaskDue.TaskId"), r.ReadDateTimeOffset("TaskDue.At"))),
        MessageCodec.For<TaskCollected>("TK",
            static (w, e) => { w.WriteString(e.TaskId); w.WriteDateTimeOffset(e.At); },
            static (ref r) => new TaskCollected(Text(ref r, "TaskCollected.TaskId"), r.ReadDateTimeOffset("TaskCollected.At"))),
        MessageCodec.For<TaskForgotten>("TX",
            static (w, e) => { w.WriteString(e.TaskId); w.WriteDateTimeOffset(e.At); },
            static (ref r) => new TaskForgotten(Text(ref r, "TaskForgotten.TaskId"), r.ReadDateTimeOffset("TaskForgotten.At"))),
        // Lanes came later: a node with lanes is stored as "NL", the "NR" encoding and its lanes (see MessageCodec.Extended).
        MessageCodec.Extended<NodeRegistered>("NR", "NL", static e => e.Lanes is not null, WriteRegistered, ReadRegistered,
            static (w, e) => WorkerCodecs.WriteLanes(w, e.Lanes),
            static (ref r, e) => e with { Lanes = ReadLanes(ref r, "NodeRegistered.Lanes") }),
        MessageCodec.For<NodeReachabilityChanged>("NC",
            static (w, e) => { w.WriteString(e.Node); w.WriteBool(e.Reachable); w.WriteDateTimeOffset(e.At); },
            static (ref r) => new NodeReachabilityChanged(Text(ref r, "NodeReachabilityChanged.Node"), r.ReadBool("NodeReachabilityChanged.Reachable"), r.ReadDateTimeOffset("NodeReachabilityChanged.At"))),
        MessageCodec.For<ConcurrencyLimitChanged>("CL",
            static (w, e) => { w.WriteString(e.Key); w.WriteNullableInt(e.Limit); w.WriteDateTimeOffset(e.At); },
            static (ref r) => new ConcurrencyLimitChanged(Text(ref r, "ConcurrencyLimitChanged.Key"), r.ReadNullableInt("ConcurrencyLimitChanged.Limit"), r.ReadDateTimeOffset("ConcurrencyLimitChanged.At"))),
        MessageCodec.For<NodeRemoved>("NX",
            static (w, e) => { w.WriteString(e.Node); w.WriteDateTimeOffset(e.At); },
            static (ref r) => new NodeRemoved(Text(ref r, "NodeRemoved.Node"), r.ReadDateTimeOffset("NodeRemoved.At"))),
        MessageCodec.For<UserPolicyChanged>("UP",
            static (w, e) =>
            {
                w.WriteString(e.UserId);
                w.WriteBool(e.Weight is not null);
                if (e.Weight is { } weight) UserPolicyCodecs.WriteWeight(w, weight);
                w.WriteNullableInt(e.MaxRunning);
                w.WriteDateTimeOffset(e.At);
            },
            static (ref r) => new UserPolicyChanged(
                Text(ref r, "UserPolicyChanged.UserId"),
                r.ReadBool("UserPolicyChanged.Weight") ? UserPolicyCodecs.ReadWeight(ref r, "UserPolicyChanged.Weight") : null,
                r.ReadNullableInt("UserPolicyChanged.MaxRunning"),
                r.ReadDateTimeOffset("UserPolicyChanged.At"))),
    ];

    private static void WriteSubmitted(WireWriter w, TaskSubmitted e)
    {
        w.WriteString(e.TaskId);
        w.WriteInt(e.Sequence);
        w.WriteString(e.TaskName);
        w.WriteString(e.UserId);
        w.WriteInt(e.Priority);
        w.WriteString(e.Payload);
        RequirementsCodec.Write(w, e.Requirements, e.Immunities);
        w.WriteStringSet(e.AversionGroups);
        w.WriteInt(e.MaxAttempts);
        w.WriteString(e.SubmissionId);
        w.WriteDateTimeOffset(e.At);
    }

    private static void WriteSubmittedPolicies(WireWriter w, TaskSubmitted e)
    {
        PolicyCodec.WriteRetry(w, e.Retry);
        w.WriteNullableTimeSpan(e.Timeout);
        w.WriteNullableDateTimeOffset(e.NotBefore);
    }

    // Tags of TaskSubmitted's tagged fields (stored: never reuse one).
    private const ulong AfterTag = 1;
    private const ulong ConcurrencyKeyTag = 2;

    private static void WriteSubmittedTags(WireWriter w, TaskSubmitted e)
    {
        if (e.After is { Count: > 0 } after) TaggedFields.Write(w, AfterTag, after, static (w, v) => w.WriteStringList(v));
        if (e.ConcurrencyKey is { } key) TaggedFields.Write(w, ConcurrencyKeyTag, key, static (w, v) => w.WriteString(v));
    }

    private static TaskSubmitted ReadSubmittedTags(ref WireReader r, TaskSubmitted e)
    {
        while (TaggedFields.Next(ref r, "TaskSubmitted.Fields", out var tag, out var end))
        {
            switch (tag)
            {
                case AfterTag: e = e with { After = r.ReadStringList("TaskSubmitted.After") }; break;
                case ConcurrencyKeyTag: e = e with { ConcurrencyKey = Text(ref r, "TaskSubmitted.ConcurrencyKey") }; break;
            }
            r.SkipTo(end, "TaskSubmitted.Fields");
        }
        return e;
    }

    private static TaskSubmitted ReadSubmittedPolicies(ref WireReader r, TaskSubmitted e) => e with
    {
        Retry = PolicyCodec.ReadRetry(ref r, "TaskSubmitted.Retry"),
        Timeout = r.ReadNullableTimeSpan("TaskSubmitted.Timeout"),
        NotBefore = r.ReadNullableDateTimeOffset("TaskSubmitted.NotBefore"),
    };

    private static TaskSubmitted ReadSubmitted(ref WireReader r) => new(
        TaskId: Text(ref r, "TaskSubmitted.TaskId"),
        Sequence: r.ReadLong("TaskSubmitted.Sequence"),
        TaskName: Text(ref r, "TaskSubmitted.TaskName"),
        UserId: Text(ref r, "TaskSubmitted.UserId"),
        Priority: r.ReadInt("TaskSubmitted.Priority"),
        Payload: Text(ref r, "TaskSubmitted.Payload"),
        Requirements: SortedQuantities(ref r, "TaskSubmitted.Requirements"),
        Immunities: RequiredSortedSet(ref r, "TaskSubmitted.Immunities"),
        AversionGroups: SortedSet(ref r, "TaskSubmitted.AversionGroups"),
        MaxAttempts: r.ReadInt("TaskSubmitted.MaxAttempts"),
        SubmissionId: r.ReadString("TaskSubmitted.SubmissionId"),
        At: r.ReadDateTimeOffset("TaskSubmitted.At"));

    internal static void WriteRegistered(WireWriter w, NodeRegistered e)
    {
        w.WriteString(e.Node);
        w.WriteQuantities(e.Resources);
        w.WriteStringList(e.TaskNames);
        WorkerCodecs.WritePriorityRange(w, e.Priorities);
        w.WriteInt(e.Slots);
        w.WriteDateTimeOffset(e.At);
    }

    internal static NodeRegistered ReadRegistered(ref WireReader r) => new(
        Node: Text(ref r, "NodeRegistered.Node"),
        Resources: SortedQuantities(ref r, "NodeRegistered.Resources"),
        TaskNames: r.ReadStringList("NodeRegistered.TaskNames") ?? throw Missing("NodeRegistered.TaskNames"),
        Priorities: WorkerCodecs.ReadPriorityRange(ref r, "NodeRegistered.Priorities.Min", "NodeRegistered.Priorities.Max"),
        Slots: r.ReadInt("NodeRegistered.Slots"),
        At: r.ReadDateTimeOffset("NodeRegistered.At"));

    /// <summary>Lanes as stored: present (a node without lanes stores none), each lane present.</summary>
    internal static IReadOnlyList<WorkerLane> ReadLanes(ref WireReader r, string what)
    {
        var lanes = WorkerCodecs.ReadLanes(ref r, what) ?? throw Missing(what);
        return lanes.Any(lane => lane is null) ? throw Missing(what + " item") : lanes;
    }
}
