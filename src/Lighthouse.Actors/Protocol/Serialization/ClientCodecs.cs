namespace Lighthouse.Protocol.Serialization;

/// <summary>Wire encoding of the client conversation (<c>ClientProtocol.cs</c>) and of <see cref="TaskInfo"/>.</summary>
internal static class ClientCodecs
{
    public static IEnumerable<MessageCodec> All { get; } =
    [
        // Policies came later: a submission with one travels as "SP", the "ST" encoding and its policies (see MessageCodec.Extended).
        // Dependencies and concurrency keys came later still: "S2", the "SP" encoding and tagged fields (see MessageCodec.Tagged).
        MessageCodec.Tagged<SubmitTask>("ST", "SP", "S2", static m => m.HasPolicies, static m => m.HasCoordination,
            WriteSubmitTask, ReadSubmitTask, WriteSubmitPolicies, ReadSubmitPolicies, WriteSubmitTags, ReadSubmitTags),
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
        // Tasks with policies: "TM", the "TL" encoding and then, per task, its optional policies (see MessageCodec.Extended).
        // With dependencies or keys: "L2", the "TM" encoding, then each task's tagged fields and the list's own (none yet).
        MessageCodec.Tagged<TaskList>("TL", "TM", "L2", static m => m.Tasks is not null && m.Tasks.Any(HasPolicies),
            static m => m.Tasks is not null && m.Tasks.Any(static t => t.HasCoordination),
            static (w, m) => { w.WriteString(m.UserId); w.WriteList(m.Tasks, WriteTaskInfo); },
            static (ref r) => new TaskList(r.ReadString("TaskList.UserId")!, r.ReadList("TaskList.Tasks", ReadTaskInfo)!),
            WriteListPolicies, ReadListPolicies, WriteListTags, ReadListTags),
        MessageCodec.Tagged<TaskInfo>("TI", "TJ", "I2", HasPolicies, static m => m.HasCoordination,
            WriteTaskInfo, ReadTaskInfo, WritePolicies, ReadPolicies, WriteInfoTags, ReadInfoTags),
        // Not a message of its own, but a public protocol type: it crosses as a field of SubmitTask and TaskInfo.
        MessageCodec.For<RetryPolicy>("RY",
            static (w, m) => { w.WriteInt(m.Attempts); w.WriteTimeSpan(m.Backoff); w.WriteNullableTimeSpan(m.MaxBackoff); },
            static (ref r) => new RetryPolicy(r.ReadInt("RetryPolicy.Attempts"), r.ReadTimeSpan("RetryPolicy.Backoff"), r.ReadNullableTimeSpan("RetryPolicy.MaxBackoff"))),
        MessageCodec.For<WatchTask>("WT",
            static (w, m) => { w.WriteString(m.TaskId); w.WriteBool(m.Progress); w.WriteBool(m.Collect); },
            static (ref r) => new WatchTask(r.ReadString("WatchTask.TaskId")!, r.ReadBool("WatchTask.Progress"), r.ReadBool("WatchTask.Collect"))),
        MessageCodec.Tagged<TaskUpdated>("TU", "TV", "U2", static m => HasPolicies(m.Task), static m => m.Task.HasCoordination,
            static (w, m) => WriteTaskInfo(w, m.Task),
            static (ref r) => new TaskUpdated(ReadTaskInfo(ref r)),
            static (w, m) => WritePolicies(w, m.Task),
            static (ref r, m) => new TaskUpdated(ReadPolicies(ref r, m.Task)),
            static (w, m) => WriteInfoTags(w, m.Task),
            static (ref r, m) => new TaskUpdated(ReadInfoTags(ref r, m.Task))),
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

    private static void WriteSubmitPolicies(WireWriter w, SubmitTask m)
    {
        PolicyCodec.WriteRetry(w, m.Retry);
        w.WriteNullableTimeSpan(m.Timeout);
        w.WriteNullableTimeSpan(m.Delay);
        w.WriteNullableDateTimeOffset(m.NotBefore);
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

    private static SubmitTask ReadSubmitPolicies(ref WireReader r, SubmitTask m) => m with
    {
        Retry = PolicyCodec.ReadRetry(ref r, "SubmitTask.Retry"),
        Timeout = r.ReadNullableTimeSpan("SubmitTask.Timeout"),
        Delay = r.ReadNullableTimeSpan("SubmitTask.Delay"),
        NotBefore = r.ReadNullableDateTimeOffset("SubmitTask.NotBefore"),
    };

    // Tags of SubmitTask's and TaskInfo's tagged fields (on the wire: never reuse one).
    private const ulong AfterTag = 1;
    private const ulong ConcurrencyKeyTag = 2;
    private const ulong DependentsTag = 3;

    private static void WriteSubmitTags(WireWriter w, SubmitTask m)
    {
        if (m.After is { Count: > 0 } after) TaggedFields.Write(w, AfterTag, after, static (w, v) => w.WriteStringList(v));
        if (m.ConcurrencyKey is { } key) TaggedFields.Write(w, ConcurrencyKeyTag, key, static (w, v) => w.WriteString(v));
    }

    private static SubmitTask ReadSubmitTags(ref WireReader r, SubmitTask m)
    {
        while (TaggedFields.Next(ref r, "SubmitTask.Fields", out var tag, out var end))
        {
            switch (tag)
            {
                case AfterTag: m = m with { After = r.ReadStringList("SubmitTask.After") }; break;
                case ConcurrencyKeyTag: m = m with { ConcurrencyKey = r.ReadString("SubmitTask.ConcurrencyKey") }; break;
            }
            r.SkipTo(end, "SubmitTask.Fields");
        }
        return m;
    }

    private static void WriteInfoTags(WireWriter w, TaskInfo m)
    {
        if (m.After is { Count: > 0 } after) TaggedFields.Write(w, AfterTag, after, static (w, v) => w.WriteStringList(v));
        if (m.ConcurrencyKey is { } key) TaggedFields.Write(w, ConcurrencyKeyTag, key, static (w, v) => w.WriteString(v));
        if (m.Dependents is { Count: > 0 } dependents) TaggedFields.Write(w, DependentsTag, dependents, static (w, v) => w.WriteStringList(v));
    }

    private static TaskInfo ReadInfoTags(ref WireReader r, TaskInfo m)
    {
        while (TaggedFields.Next(ref r, "TaskInfo.Fields", out var tag, out var end))
        {
            switch (tag)
            {
                case AfterTag: m = m with { After = r.ReadStringList("TaskInfo.After") }; break;
                case ConcurrencyKeyTag: m = m with { ConcurrencyKey = r.ReadString("TaskInfo.ConcurrencyKey") }; break;
                case DependentsTag: m = m with { Dependents = r.ReadStringList("TaskInfo.Dependents") }; break;
            }
            r.SkipTo(end, "TaskInfo.Fields");
        }
        return m;
    }

    private static void WriteListTags(WireWriter w, TaskList m)
    {
        foreach (var task in m.Tasks)
        {
            WriteInfoTags(w, task);
            TaggedFields.WriteEnd(w);
        }
    }

    private static TaskList ReadListTags(ref WireReader r, TaskList m)
    {
        var tasks = new List<TaskInfo>(m.Tasks.Count);
        foreach (var task in m.Tasks) tasks.Add(ReadInfoTags(ref r, task));
        // The list's own block: no field yet.
        while (TaggedFields.Next(ref r, "TaskList.Fields", out _, out var end)) r.SkipTo(end, "TaskList.Fields");
        return m with { Tasks = tasks };
    }

    private static void WriteListPolicies(WireWriter w, TaskList m)
    {
        foreach (var task in m.Tasks)
        {
            w.WriteBool(HasPolicies(task));
            if (HasPolicies(task)) WritePolicies(w, task);
        }
    }

    private static TaskList ReadListPolicies(ref WireReader r, TaskList m)
    {
        var tasks = new List<TaskInfo>(m.Tasks.Count);
        foreach (var task in m.Tasks) tasks.Add(r.ReadBool("TaskList.Policies") ? ReadPolicies(ref r, task) : task);
        return m with { Tasks = tasks };
    }

    internal static bool HasPolicies(TaskInfo m) => m.Retry is not null || m.Timeout is not null || m.NotBefore is not null || m.Retries != 0;

    private static void WritePolicies(WireWriter w, TaskInfo m)
    {
        PolicyCodec.WriteRetry(w, m.Retry);
        w.WriteNullableTimeSpan(m.Timeout);
        w.WriteNullableDateTimeOffset(m.NotBefore);
        w.WriteNullableDateTimeOffset(m.NextAttemptAt);
        w.WriteStringList(m.AttemptErrors);
        w.WriteInt(m.Retries);
    }

    private static TaskInfo ReadPolicies(ref WireReader r, TaskInfo info) => info with
    {
        Retry = PolicyCodec.ReadRetry(ref r, "TaskInfo.Retry"),
        Timeout = r.ReadNullableTimeSpan("TaskInfo.Timeout"),
        NotBefore = r.ReadNullableDateTimeOffset("TaskInfo.NotBefore"),
        NextAttemptAt = r.ReadNullableDateTimeOffset("TaskInfo.NextAttemptAt"),
        AttemptErrors = r.ReadStringList("TaskInfo.AttemptErrors"),
        Retries = r.ReadInt("TaskInfo.Retries"),
    };

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
