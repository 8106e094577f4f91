namespace Lighthouse.Protocol.Serialization;

/// <summary>Wire encoding of the monitor queries and their views (<c>MonitorProtocol.cs</c>).</summary>
internal static class MonitorCodecs
{
    public static IEnumerable<MessageCodec> All { get; } =
    [
        // The queries carry nothing; reading answers the shared instance.
        MessageCodec.For<GetNodes>("GN", static (_, _) => { }, static (ref _) => GetNodes.Instance),
        // A page came later (issue 13): a request with one is "GR", the empty "GQ" encoding and then offset and limit; its
        // answer "QW", the "QV" encoding and then the user total, offset and blocked count (see MessageCodec.Extended).
        MessageCodec.Extended<GetQueues>("GQ", "GR", static m => m.IsPaged, static (_, _) => { }, static (ref _) => GetQueues.Instance,
            static (w, m) => { w.WriteInt(m.Offset); w.WriteNullableInt(m.Limit); },
            static (ref r, _) => new GetQueues(r.ReadInt("GetQueues.Offset"), r.ReadNullableInt("GetQueues.Limit"))),
        // The task policies' figures came later (issue 14): a request for them is "GU", the empty "GT" encoding and then how many
        // waiting tasks to list; its answer "SW", the "SV" encoding and then the figures (see MessageCodec.Extended).
        MessageCodec.Extended<GetStatistics>("GT", "GU", static m => m.IsExtended, static (_, _) => { }, static (ref _) => GetStatistics.Instance,
            static (w, m) => w.WriteInt(m.WaitingListed!.Value),
            static (ref r, _) => new GetStatistics(r.ReadInt("GetStatistics.WaitingListed"))),
        MessageCodec.For<GetHistory>("GH", static (_, _) => { }, static (ref _) => GetHistory.Instance),
        MessageCodec.For<LaneView>("LV", WriteLaneView, ReadLaneView),
        // Lanes came later: a node view with them is "NL", the "NV" encoding and its lanes; a list of nodes of which some
        // have lanes is "NM", the "NS" encoding and then each node's lanes or none (see MessageCodec.Extended).
        MessageCodec.Extended<NodeView>("NV", "NL", static m => m.Lanes is not null, WriteNodeView, ReadNodeView,
            static (w, m) => w.WriteList(m.Lanes, WriteLaneView),
            static (ref r, m) => m with { Lanes = r.ReadList("NodeView.Lanes", ReadLaneView) }),
        MessageCodec.Extended<NodesView>("NS", "NM", static m => m.Nodes.Any(n => n.Lanes is not null),
            static (w, m) => w.WriteList(m.Nodes, WriteNodeView),
            static (ref r) => new NodesView(r.ReadList("NodesView.Nodes", ReadNodeView)!),
            static (w, m) =>
            {
                foreach (var node in m.Nodes) w.WriteList(node.Lanes, WriteLaneView);
            },
            static (ref r, m) =>
            {
                var nodes = m.Nodes.ToArray();
                for (var i = 0; i < nodes.Length; i++) nodes[i] = nodes[i] with { Lanes = r.ReadList("NodesView.Lanes", ReadLaneView) };
                return new NodesView(nodes);
            }),
        MessageCodec.For<UserQueueView>("UQ", WriteUserQueueView, ReadUserQueueView),
        MessageCodec.Extended<QueuesView>("QV", "QW", static m => m.UserCount is not null,
            static (w, m) =>
            {
                w.WriteInt(m.Queued);
                w.WriteInt(m.Running);
                w.WriteCounts(m.QueuedByPriority);
                w.WriteList(m.Users, WriteUserQueueView);
            },
            static (ref r) => new QueuesView(
                Queued: r.ReadInt("QueuesView.Queued"),
                Running: r.ReadInt("QueuesView.Running"),
                QueuedByPriority: r.ReadCounts("QueuesView.QueuedByPriority")!,
                Users: r.ReadList("QueuesView.Users", ReadUserQueueView)!),
            static (w, m) => { w.WriteInt(m.UserCount!.Value); w.WriteInt(m.Offset); w.WriteInt(m.Blocked); },
            static (ref r, m) => m with
            {
                UserCount = r.ReadInt("QueuesView.UserCount"),
                Offset = r.ReadInt("QueuesView.Offset"),
                Blocked = r.ReadInt("QueuesView.Blocked"),
            }),
        MessageCodec.For<DurationSummary>("DS", WriteDurationSummary, ReadDurationSummary),
        MessageCodec.For<TaskNameStatistics>("TS", WriteTaskNameStatistics, ReadTaskNameStatistics),
        MessageCodec.Extended<StatisticsView>("SV", "SW", static m => m.Policies is not null,
            static (w, m) => w.WriteList(m.TaskNames, WriteTaskNameStatistics),
            static (ref r) => new StatisticsView(r.ReadList("StatisticsView.TaskNames", ReadTaskNameStatistics)!),
            static (w, m) => WritePolicyStatistics(w, m.Policies!),
            static (ref r, m) => m with { Policies = ReadPolicyStatistics(ref r) }),
        MessageCodec.For<PolicyWaitingTask>("PW", WritePolicyWaitingTask, ReadPolicyWaitingTask),
        MessageCodec.For<PolicyStatistics>("PZ", WritePolicyStatistics, ReadPolicyStatistics),
        MessageCodec.For<HistorySample>("HS", WriteHistorySample, ReadHistorySample),
        MessageCodec.For<HistoryView>("HV",
            static (w, m) => { w.WriteTimeSpan(m.Interval); w.WriteList(m.Samples, WriteHistorySample); },
            static (ref r) => new HistoryView(r.ReadTimeSpan("HistoryView.Interval"), r.ReadList("HistoryView.Samples", ReadHistorySample)!)),
    ];

    private static void WriteNodeView(WireWriter w, NodeView m)
    {
        w.WriteString(m.Node);
        w.WriteInt((int)m.State);
        w.WriteQuantities(m.Capacity);
        w.WriteQuantities(m.Free);
        w.WriteInt(m.Slots);
        w.WriteInt(m.FreeSlots);
        w.WriteStringList(m.RunningTasks);
        w.WriteStringList(m.TaskNames);
        WorkerCodecs.WriteNestedPriorityRange(w, m.Priorities);
        w.WriteDateTimeOffset(m.RegisteredAt);
    }

    private static NodeView ReadNodeView(ref WireReader r) => new(
        Node: r.ReadString("NodeView.Node")!,
        State: r.ReadEnum<WorkerNodeState>("NodeView.State"),
        Capacity: r.ReadQuantities("NodeView.Capacity")!,
        Free: r.ReadQuantities("NodeView.Free")!,
        Slots: r.ReadInt("NodeView.Slots"),
        FreeSlots: r.ReadInt("NodeView.FreeSlots"),
        RunningTasks: r.ReadStringList("NodeView.RunningTasks")!,
        TaskNames: r.ReadStringList("NodeView.TaskNames")!,
        Priorities: WorkerCodecs.ReadNestedPriorityRange(ref r),
        RegisteredAt: r.ReadDateTimeOffset("NodeView.RegisteredAt"));

    private static void WriteLaneView(WireWriter w, LaneView m)
    {
        w.WriteInt(m.Slots);
        w.WriteInt(m.FreeSlots);
        WorkerCodecs.WritePriorityRange(w, m.Priorities);
        w.WriteNullableInt(m.Nice);
    }

    private static LaneView ReadLaneView(ref WireReader r) => new(
        Slots: r.ReadInt("LaneView.Slots"),
        FreeSlots: r.ReadInt("LaneView.FreeSlots"),
        Priorities: WorkerCodecs.ReadPriorityRange(ref r, "LaneView.Min", "LaneView.Max"),
        Nice: r.ReadNullableInt("LaneView.Nice"));

    private static void WriteUserQueueView(WireWriter w, UserQueueView m)
    {
        w.WriteString(m.UserId);
        w.WriteInt(m.Queued);
        w.WriteInt(m.Running);
        w.WriteCounts(m.QueuedByPriority);
    }

    private static UserQueueView ReadUserQueueView(ref WireReader r) => new(
        UserId: r.ReadString("UserQueueView.UserId")!,
        Queued: r.ReadInt("UserQueueView.Queued"),
        Running: r.ReadInt("UserQueueView.Running"),
        QueuedByPriority: r.ReadCounts("UserQueueView.QueuedByPriority")!);

    private static void WriteDurationSummary(WireWriter w, DurationSummary m)
    {
        w.WriteInt(m.Count);
        w.WriteTimeSpan(m.Min);
        w.WriteTimeSpan(m.Mean);
        w.WriteTimeSpan(m.Max);
    }

    private static DurationSummary ReadDurationSummary(ref WireReader r) => new(
        Count: r.ReadInt("DurationSummary.Count"),
        Min: r.ReadTimeSpan("DurationSummary.Min"),
        Mean: r.ReadTimeSpan("DurationSummary.Mean"),
        Max: r.ReadTimeSpan("DurationSummary.Max"));

    private static void WriteTaskNameStatistics(WireWriter w, TaskNameStatistics m)
    {
        w.WriteString(m.TaskName);
        w.WriteInt(m.Finished);
        w.WriteInt(m.Succeeded);
        w.WriteInt(m.Failed);
        w.WriteInt(m.Cancelled);
        w.WriteOptional(m.RunTime, WriteDurationSummary);
        w.WriteOptional(m.WaitTime, WriteDurationSummary);
    }

    private static TaskNameStatistics ReadTaskNameStatistics(ref WireReader r) => new(
        TaskName: r.ReadString("TaskNameStatistics.TaskName")!,
        Finished: r.ReadInt("TaskNameStatistics.Finished"),
        Succeeded: r.ReadInt("TaskNameStatistics.Succeeded"),
        Failed: r.ReadInt("TaskNameStatistics.Failed"),
        Cancelled: r.ReadInt("TaskNameStatistics.Cancelled"),
        RunTime: r.ReadOptional("TaskNameStatistics.RunTime", ReadDurationSummary),
        WaitTime: r.ReadOptional("TaskNameStatistics.WaitTime", ReadDurationSummary));

    private static void WritePolicyWaitingTask(WireWriter w, PolicyWaitingTask m)
    {
        w.WriteString(m.TaskId);
        w.WriteString(m.TaskName);
        w.WriteString(m.UserId);
        w.WriteInt((int)m.Kind);
        w.WriteString(m.PendingReason);
        w.WriteDateTimeOffset(m.SubmittedAt);
        w.WriteNullableDateTimeOffset(m.DueAt);
    }

    private static PolicyWaitingTask ReadPolicyWaitingTask(ref WireReader r) => new(
        TaskId: r.ReadString("PolicyWaitingTask.TaskId")!,
        TaskName: r.ReadString("PolicyWaitingTask.TaskName")!,
        UserId: r.ReadString("PolicyWaitingTask.UserId")!,
        Kind: r.ReadEnum<PolicyWait>("PolicyWaitingTask.Kind"),
        PendingReason: r.ReadString("PolicyWaitingTask.PendingReason")!,
        SubmittedAt: r.ReadDateTimeOffset("PolicyWaitingTask.SubmittedAt"),
        DueAt: r.ReadNullableDateTimeOffset("PolicyWaitingTask.DueAt"));

    private static void WritePolicyStatistics(WireWriter w, PolicyStatistics m)
    {
        w.WriteInt(m.Delayed);
        w.WriteInt(m.Retrying);
        w.WriteInt(m.WaitingForDependencies);
        w.WriteInt(m.WaitingForKey);
        w.WriteInt(m.Retries);
        w.WriteInt(m.Timeouts);
        w.WriteInt(m.QuotaWaits);
        w.WriteList(m.Waiting, WritePolicyWaitingTask);
    }

    private static PolicyStatistics ReadPolicyStatistics(ref WireReader r) => new(
        Delayed: r.ReadInt("PolicyStatistics.Delayed"),
        Retrying: r.ReadInt("PolicyStatistics.Retrying"),
        WaitingForDependencies: r.ReadInt("PolicyStatistics.WaitingForDependencies"),
        WaitingForKey: r.ReadInt("PolicyStatistics.WaitingForKey"),
        Retries: r.ReadLong("PolicyStatistics.Retries"),
        Timeouts: r.ReadLong("PolicyStatistics.Timeouts"),
        QuotaWaits: r.ReadLong("PolicyStatistics.QuotaWaits"),
        Waiting: r.ReadList("PolicyStatistics.Waiting", ReadPolicyWaitingTask)!);

    private static void WriteHistorySample(WireWriter w, HistorySample m)
    {
        w.WriteDateTimeOffset(m.Start);
        w.WriteInt(m.Submitted);
        w.WriteInt(m.Started);
        w.WriteInt(m.Finished);
        w.WriteInt(m.Queued);
        w.WriteInt(m.Running);
    }

    private static HistorySample ReadHistorySample(ref WireReader r) => new(
        Start: r.ReadDateTimeOffset("HistorySample.Start"),
        Submitted: r.ReadInt("HistorySample.Submitted"),
        Started: r.ReadInt("HistorySample.Started"),
        Finished: r.ReadInt("HistorySample.Finished"),
        Queued: r.ReadInt("HistorySample.Queued"),
        Running: r.ReadInt("HistorySample.Running"));
}
