namespace Lighthouse.Protocol.Serialization;

/// <summary>Wire encoding of the worker conversation (<c>WorkerProtocol.cs</c>).</summary>
internal static class WorkerCodecs
{
    public static IEnumerable<MessageCodec> All { get; } =
    [
        MessageCodec.For<PriorityRange>("PR", WritePriorityRange, ReadPriorityRange),
        MessageCodec.For<WorkerLane>("WL", WriteLane, ReadLane),
        // Lanes came later: a registration with them is "RL", the "RW" encoding and the lanes (see MessageCodec.Extended).
        MessageCodec.Extended<RegisterWorker>("RW", "RL", static m => m.Lanes is not null,
            static (w, m) =>
            {
                w.WriteString(m.Node);
                w.WriteQuantities(m.Resources);
                w.WriteStringList(m.TaskNames);
                WriteNestedPriorityRange(w, m.Priorities);
                w.WriteInt(m.Slots);
                w.WriteStringList(m.RunningTasks);
            },
            static (ref r) => new RegisterWorker(
                Node: r.ReadString("RegisterWorker.Node")!,
                Resources: r.ReadQuantities("RegisterWorker.Resources")!,
                TaskNames: r.ReadStringList("RegisterWorker.TaskNames")!,
                Priorities: ReadNestedPriorityRange(ref r),
                Slots: r.ReadInt("RegisterWorker.Slots"),
                RunningTasks: r.ReadStringList("RegisterWorker.RunningTasks")),
            static (w, m) => WriteLanes(w, m.Lanes),
            static (ref r, m) => m with { Lanes = ReadLanes(ref r, "RegisterWorker.Lanes") }),
        MessageCodec.For<WorkerRegistered>("WR",
            static (w, m) => w.WriteString(m.Node),
            static (ref r) => new WorkerRegistered(r.ReadString("WorkerRegistered.Node")!)),
        MessageCodec.For<WorkerRegistrationRejected>("WX",
            static (w, m) => { w.WriteString(m.Node); w.WriteString(m.Reason); },
            static (ref r) => new WorkerRegistrationRejected(r.ReadString("WorkerRegistrationRejected.Node")!, r.ReadString("WorkerRegistrationRejected.Reason")!)),
        // A timeout came later: a start with one is "RT", the "RN" encoding and the timeout (see MessageCodec.Extended).
        MessageCodec.Extended<StartTask>("RN", "RT", static m => m.Timeout is not null,
            static (w, m) =>
            {
                w.WriteString(m.TaskId);
                w.WriteString(m.TaskName);
                w.WriteString(m.Payload);
                w.WriteString(m.UserId);
                w.WriteInt(m.Priority);
                w.WriteInt(m.Attempt);
            },
            static (ref r) => new StartTask(
                TaskId: r.ReadString("StartTask.TaskId")!,
                TaskName: r.ReadString("StartTask.TaskName")!,
                Payload: r.ReadString("StartTask.Payload")!,
                UserId: r.ReadString("StartTask.UserId")!,
                Priority: r.ReadInt("StartTask.Priority"),
                Attempt: r.ReadInt("StartTask.Attempt")),
            static (w, m) => w.WriteTimeSpan(m.Timeout!.Value),
            static (ref r, m) => m with { Timeout = r.ReadTimeSpan("StartTask.Timeout") }),
        MessageCodec.For<CancelRunningTask>("CR",
            static (w, m) => w.WriteString(m.TaskId),
            static (ref r) => new CancelRunningTask(r.ReadString("CancelRunningTask.TaskId")!)),
        MessageCodec.For<ReportProgress>("RP",
            static (w, m) => { w.WriteString(m.TaskId); w.WriteDouble(m.Percent); },
            static (ref r) => new ReportProgress(r.ReadString("ReportProgress.TaskId")!, r.ReadDouble("ReportProgress.Percent"))),
        MessageCodec.For<ReportSuccess>("RS",
            static (w, m) => { w.WriteString(m.TaskId); w.WriteString(m.Result); },
            static (ref r) => new ReportSuccess(r.ReadString("ReportSuccess.TaskId")!, r.ReadString("ReportSuccess.Result")!)),
        MessageCodec.For<ReportFailure>("RF",
            static (w, m) => { w.WriteString(m.TaskId); w.WriteString(m.Error); },
            static (ref r) => new ReportFailure(r.ReadString("ReportFailure.TaskId")!, r.ReadString("ReportFailure.Error")!)),
        MessageCodec.For<AcknowledgeCancel>("AC",
            static (w, m) => w.WriteString(m.TaskId),
            static (ref r) => new AcknowledgeCancel(r.ReadString("AcknowledgeCancel.TaskId")!)),
        MessageCodec.For<ReportsAcknowledged>("RA",
            static (w, m) => w.WriteStringList(m.TaskIds),
            static (ref r) => new ReportsAcknowledged(r.ReadStringList("ReportsAcknowledged.TaskIds")!)),
        MessageCodec.For<ReportRejected>("RR",
            static (w, m) => { w.WriteString(m.TaskId); w.WriteString(m.Reason); },
            static (ref r) => new ReportRejected(r.ReadString("ReportRejected.TaskId")!, r.ReadString("ReportRejected.Reason")!)),
    ];

    /// <summary>Min, then max; the journal's node registrations store a range the same way.</summary>
    internal static void WritePriorityRange(WireWriter w, PriorityRange m)
    {
        w.WriteInt(m.Min);
        w.WriteInt(m.Max);
    }

    private static PriorityRange ReadPriorityRange(ref WireReader r) => ReadPriorityRange(ref r, "PriorityRange.Min", "PriorityRange.Max");

    internal static PriorityRange ReadPriorityRange(ref WireReader r, string minWhat, string maxWhat) =>
        new(r.ReadInt(minWhat), r.ReadInt(maxWhat));

    // Nested ranges carry a presence marker: a null kept as null, like every other field.
    internal static void WriteNestedPriorityRange(WireWriter w, PriorityRange range) => w.WriteOptional(range, WritePriorityRange);

    internal static PriorityRange ReadNestedPriorityRange(ref WireReader r) => r.ReadOptional("PriorityRange", ReadPriorityRange)!;

    /// <summary>Slots, the range (min, max) and the optional nice value; the journal stores a lane the same way.</summary>
    internal static void WriteLane(WireWriter w, WorkerLane lane)
    {
        w.WriteInt(lane.Slots);
        WritePriorityRange(w, lane.Priorities);
        w.WriteNullableInt(lane.Nice);
    }

    internal static WorkerLane ReadLane(ref WireReader r) =>
        new(r.ReadInt("WorkerLane.Slots"), ReadPriorityRange(ref r, "WorkerLane.Min", "WorkerLane.Max"), r.ReadNullableInt("WorkerLane.Nice"));

    internal static void WriteLanes(WireWriter w, IReadOnlyList<WorkerLane>? lanes) => w.WriteList(lanes, WriteLane);

    internal static IReadOnlyList<WorkerLane>? ReadLanes(ref WireReader r, string what) => r.ReadList(what, ReadLane);
}
