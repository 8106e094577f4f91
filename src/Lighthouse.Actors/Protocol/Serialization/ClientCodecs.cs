namespace Lighthouse.Protocol.Serialization;

/// <summary>Wire encoding of the client conversation (<c>ClientProtocol.cs</c>) and of <see cref="TaskInfo"/>.</summary>
internal static class ClientCodecs
{
    public static IEnumerable<MessageCodec> All { get; } =
    [
        MessageCodec.For<SubmitTask>("ST", WriteSubmitTask, ReadSubmitTask),
        MessageCodec.For<SubmissionAccepted>("SA",
            static (w, m) => { w.WriteString(m.TaskId); w.WriteString(m.SubmissionId); w.WriteBool(m.Duplicate); },
            static (ref r) => new SubmissionAccepted(r.ReadString("SubmissionAccepted.TaskId")!, r.ReadString("SubmissionAccepted.SubmissionId"), r.ReadBool("SubmissionAccepted.Duplicate"))),
        MessageCodec.For<SubmissionRejected>("SR",
            static (w, m) => { w.WriteString(m.SubmissionId); w.WriteString(m.Reason); w.WriteInt((int)m.Code); },
            static (ref r) => new SubmissionRejected(r.ReadString("SubmissionRejected.SubmissionId"), r.ReadString("SubmissionRejected.Reason")!,
                r.ReadEnum<RejectionCode>("SubmissionRejected.Code"))),
        MessageCodec.For<GetTaskStatus>("GS",
            static (w, m) => { w.WriteString(m.TaskId); w.WriteBool(m.Collect); },
            static (ref r) => new GetTaskStatus(r.ReadString("GetTaskStatus.TaskId")!, r.ReadBool("GetTaskStatus.Collect"))),
        MessageCodec.For<UnknownTask>("UT",
            static (w, m) => { w.WriteString(m.TaskId); w.WriteString(m.Message); },
            static (ref r) => new UnknownTask(r.ReadString("UnknownTask.TaskId")!, r.ReadString("UnknownTask.Message")!)),
        MessageCodec.For<CancelTask>("CT",
            static (w, m) => w.WriteString(m.TaskId),
            static (ref r) => new CancelTask(r.ReadString("CancelTask.TaskId")!)),
        MessageCodec.For<TaskCancelled>("TC",
            static (w, m) => w.WriteString(m.TaskId),
            static (ref r) => new TaskCancelled(r.ReadString("TaskCancelled.TaskId")!)),
        MessageCodec.For<CancelPending>("CP",
            static (w, m) => { w.WriteString(m.TaskId); w.WriteString(m.Node); },
            static (ref r) => new CancelPending(r.ReadString("CancelPending.TaskId")!, r.ReadString("CancelPending.Node")!)),
        MessageCodec.For<TaskAlreadyFinished>("AF",
            static (w, m) => { w.WriteString(m.TaskId); w.WriteInt((int)m.State); },
            static (ref r) => new TaskAlreadyFinished(r.ReadString("TaskAlreadyFinished.TaskId")!, r.ReadEnum<TaskState>("TaskAlreadyFinished.State"))),
        MessageCodec.For<ListTasks>("LT",
            static (w, m) => w.WriteString(m.UserId),
            static (ref r) => new ListTasks(r.ReadString("ListTasks.UserId")!)),
        MessageCodec.For<TaskList>("TL",
            static (w, m) => { w.WriteString(m.UserId); w.WriteList(m.Tasks, WriteTaskInfo); },
            static (ref r) => new TaskList(r.ReadString("TaskList.UserId")!, r.ReadList("TaskList.Tasks", ReadTaskInfo)!)),
        MessageCodec.For<TaskInfo>("TI", WriteTaskInfo, ReadTaskInfo),
        MessageCodec.For<WatchTask>("WT",
            static (w, m) => { w.WriteString(m.TaskId); w.WriteBool(m.Progress); w.WriteBool(m.Collect); },
            static (ref r) => new WatchTask(r.ReadString("WatchTask.TaskId")!, r.ReadBool("WatchTask.Progress"), r.ReadBool("WatchTask.Collect"))),
        MessageCodec.For<TaskUpdated>("TU",
            static (w, m) => WriteTaskInfo(w, m.Task),
            static (ref r) => new TaskUpdated(ReadTaskInfo(ref r))),
    ];

    private static void WriteSubmitTask(WireWriter w, SubmitTask m)
    {
        w.WriteString(m.TaskName);
        w.WriteString(m.Payload);
        w.WriteString(m.UserId);
        w.WriteInt(m.Priority);
        RequirementsCodec.Write(w, m.Requirements, m.Immunities);
        w.WriteStringSet(m.AversionGroups);
        w.WriteNullableInt(m.MaxAttempts);
        w.WriteString(m.SubmissionId);
        w.WriteBool(m.Watch);
    }

    private static SubmitTask ReadSubmitTask(ref WireReader r) => new(
        TaskName: r.ReadString("SubmitTask.TaskName")!,
        Payload: r.ReadString("SubmitTask.Payload")!,
        UserId: r.ReadString("SubmitTask.UserId")!,
        Priority: r.ReadInt("SubmitTask.Priority"),
        Requirements: r.ReadQuantities("SubmitTask.Requirements"),
        Immunities: r.ReadStringSet("SubmitTask.Immunities"),
        AversionGroups: r.ReadStringSet("SubmitTask.AversionGroups"),
        MaxAttempts: r.ReadNullableInt("SubmitTask.MaxAttempts"),
        SubmissionId: r.ReadString("SubmitTask.SubmissionId"),
        Watch: r.ReadBool("SubmitTask.Watch"));

    internal static void WriteTaskInfo(WireWriter w, TaskInfo m)
    {
        w.WriteString(m.TaskId);
        w.WriteString(m.TaskName);
        w.WriteString(m.UserId);
        w.WriteInt(m.Priority);
        w.WriteInt((int)m.State);
        w.WriteDouble(m.Progress);
        w.WriteString(m.Result);
        w.WriteString(m.Error);
        w.WriteString(m.Node);
        w.WriteInt(m.Attempts);
        w.WriteInt(m.MaxAttempts);
        w.WriteDateTimeOffset(m.SubmittedAt);
        w.WriteNullableDateTimeOffset(m.StartedAt);
        w.WriteNullableDateTimeOffset(m.FinishedAt);
        w.WriteString(m.PendingReason);
        w.WriteBool(m.CancelRequested);
        w.WriteString(m.SubmissionId);
        w.WriteNullableBool(m.WaitsForCapacity);
    }

    internal static TaskInfo ReadTaskInfo(ref WireReader r) => new(
        TaskId: r.ReadString("TaskInfo.TaskId")!,
        TaskName: r.ReadString("TaskInfo.TaskName")!,
        UserId: r.ReadString("TaskInfo.UserId")!,
        Priority: r.ReadInt("TaskInfo.Priority"),
        State: r.ReadEnum<TaskState>("TaskInfo.State"),
        Progress: r.ReadDouble("TaskInfo.Progress"),
        Result: r.ReadString("TaskInfo.Result"),
        Error: r.ReadString("TaskInfo.Error"),
        Node: r.ReadString("TaskInfo.Node"),
        Attempts: r.ReadInt("TaskInfo.Attempts"),
        MaxAttempts: r.ReadInt("TaskInfo.MaxAttempts"),
        SubmittedAt: r.ReadDateTimeOffset("TaskInfo.SubmittedAt"),
        StartedAt: r.ReadNullableDateTimeOffset("TaskInfo.StartedAt"),
        FinishedAt: r.ReadNullableDateTimeOffset("TaskInfo.FinishedAt"),
        PendingReason: r.ReadString("TaskInfo.PendingReason"),
        CancelRequested: r.ReadBool("TaskInfo.CancelRequested"),
        SubmissionId: r.ReadString("TaskInfo.SubmissionId"),
        WaitsForCapacity: r.ReadNullableBool("TaskInfo.WaitsForCapacity"));
}
