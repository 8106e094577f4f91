using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;
using Lighthouse.Scheduling;
using static Lighthouse.Persistence.JournalFieldCodec;

namespace Lighthouse.Persistence;

/// <summary>The stored encoding of a <see cref="SchedulerSnapshot"/>: the <see cref="SchedulerImage"/>, field by field.</summary>
internal static class SnapshotCodec
{
    // Tasks with policies came later: such a snapshot is "SQ", the "SS" encoding and then the policies (see MessageCodec.Extended).
    // Dependencies and concurrency keys came later still: "S2", the "SQ" encoding and tagged fields (see MessageCodec.Tagged);
    // worker lanes, the per-user policies set at runtime and the concurrency keys' runtime limits and waiting lists are more tagged fields.
    public static MessageCodec Codec { get; } = MessageCodec.Tagged<SchedulerSnapshot>("SS", "SQ", "S2", static s => s.Image.Policies is { Count: > 0 },
        static s => s.Image.Policies is { } p && p.Any(static t => t.After is not null || t.ConcurrencyKey is not null) || HasLanes(s)
            || s.Image.UserPolicies is { Count: > 0 } || s.Image.KeyLimits is { Count: > 0 },
        (w, s) => Write(w, s.Image), static (ref r) => new SchedulerSnapshot(Read(ref r)), WritePolicies, ReadPolicies, WriteTags, ReadTags);

    // Tags of the snapshot's tagged fields (stored: never reuse one).
    private const ulong CoordinationTag = 1;
    private const ulong LanesTag = 2;
    private const ulong UserPoliciesTag = 3;
    private const ulong KeyLimitsTag = 4;
    private const ulong KeyWaitersTag = 5;

    private static bool HasLanes(SchedulerSnapshot snapshot) => snapshot.Image.Nodes.Any(static n => n.Registration.Lanes is not null);

    private static void WriteTags(WireWriter w, SchedulerSnapshot snapshot)
    {
        var coordinated = (snapshot.Image.Policies ?? []).Where(static p => p.After is not null || p.ConcurrencyKey is not null).ToList();
        // One entry per node, in the nodes' order: its lanes, or none.
        if (HasLanes(snapshot))
            TaggedFields.Write(w, LanesTag, snapshot.Image.Nodes, static (w, nodes) =>
            {
                foreach (var node in nodes) WorkerCodecs.WriteLanes(w, node.Registration.Lanes);
            });
        if (snapshot.Image.UserPolicies is { Count: > 0 } users) TaggedFields.Write(w, UserPoliciesTag, users, WriteUserPolicies);
        if (coordinated.Count > 0)
        {
            TaggedFields.Write(w, CoordinationTag, coordinated, static (w, list) =>
            {
                w.WriteCount(list.Count);
                foreach (var p in list)
                {
                    w.WriteString(p.Id);
                    w.WriteStringList(p.After);
                    w.WriteString(p.ConcurrencyKey);
                }
            });
        }
        if (snapshot.Image.KeyLimits is { Count: > 0 } limits)
        {
            TaggedFields.Write(w, KeyLimitsTag, limits, static (w, list) =>
            {
                w.WriteCount(list.Count);
                foreach (var limit in list)
                {
                    w.WriteString(limit.Key);
                    w.WriteInt(limit.Limit);
                }
            });
        }
        if (snapshot.Image.KeyWaiters is { Count: > 0 } waiters)
            TaggedFields.Write(w, KeyWaitersTag, waiters, static (w, list) => w.WriteStringList(list));
    }

    private static SchedulerSnapshot ReadTags(ref WireReader r, SchedulerSnapshot snapshot)
    {
        var image = snapshot.Image;
        while (TaggedFields.Next(ref r, "Snapshot.Fields", out var tag, out var end))
        {
            switch (tag)
            {
                case CoordinationTag: image = ReadCoordination(ref r, image); break;
                case LanesTag: image = ReadLanes(ref r, image); break;
                case UserPoliciesTag: image = image with { UserPolicies = ReadUserPolicies(ref r) }; break;
                case KeyLimitsTag: image = image with { KeyLimits = ReadKeyLimits(ref r) }; break;
                case KeyWaitersTag: image = image with { KeyWaiters = r.ReadStringList("Snapshot.KeyWaiters") }; break;
            }
            r.SkipTo(end, "Snapshot.Fields");
        }
        return new SchedulerSnapshot(image);
    }

    private static KeyLimitImage[] ReadKeyLimits(ref WireReader r)
    {
        var limits = new KeyLimitImage[Count(ref r, "Snapshot.KeyLimits", 2)];
        for (var i = 0; i < limits.Length; i++) limits[i] = new KeyLimitImage(Text(ref r, "KeyLimit.Key"), r.ReadInt("KeyLimit.Limit"));
        return limits;
    }

    private static SchedulerImage ReadLanes(ref WireReader r, SchedulerImage image)
    {
        var nodes = image.Nodes.ToArray();
        for (var i = 0; i < nodes.Length; i++)
        {
            var lanes = WorkerCodecs.ReadLanes(ref r, "Node.Lanes");
            if (lanes is not null && lanes.Any(lane => lane is null)) throw Missing("Node.Lanes item");
            nodes[i] = nodes[i] with { Registration = nodes[i].Registration with { Lanes = lanes } };
        }
        return image with { Nodes = nodes };
    }

    private static void WriteUserPolicies(WireWriter w, IReadOnlyList<UserPolicyImage> users)
    {
        w.WriteCount(users.Count);
        foreach (var u in users)
        {
            w.WriteString(u.UserId);
            w.WriteBool(u.Weight is not null);
            if (u.Weight is { } weight) UserPolicyCodecs.WriteWeight(w, weight);
            w.WriteNullableInt(u.MaxRunning);
        }
    }

    private static UserPolicyImage[] ReadUserPolicies(ref WireReader r)
    {
        var users = new UserPolicyImage[Count(ref r, "Snapshot.UserPolicies", 3)];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = new UserPolicyImage(
                Text(ref r, "UserPolicy.UserId"),
                r.ReadBool("UserPolicy.Weight") ? UserPolicyCodecs.ReadWeight(ref r, "UserPolicy.Weight") : null,
                r.ReadNullableInt("UserPolicy.MaxRunning"));
        }
        return users;
    }

    private static SchedulerImage ReadCoordination(ref WireReader r, SchedulerImage image)
    {
        var policies = (image.Policies ?? []).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var count = Count(ref r, "Snapshot.Coordination", 3);
        for (var i = 0; i < count; i++)
        {
            var id = Text(ref r, "Coordination.Id");
            var after = r.ReadStringList("Coordination.After");
            var key = r.ReadString("Coordination.ConcurrencyKey");
            if (!policies.TryGetValue(id, out var policy))
                throw new WireFormatException($"Snapshot.Coordination: task {id} has no policies entry");
            policies[id] = policy with { After = after, ConcurrencyKey = key };
        }
        return image with { Policies = image.Policies!.Select(p => policies[p.Id]).ToList() };
    }

    private static void WritePolicies(WireWriter w, SchedulerSnapshot snapshot)
    {
        var policies = snapshot.Image.Policies ?? [];
        w.WriteCount(policies.Count);
        foreach (var p in policies)
        {
            w.WriteString(p.Id);
            PolicyCodec.WriteRetry(w, p.Retry);
            w.WriteNullableTimeSpan(p.Timeout);
            w.WriteNullableDateTimeOffset(p.NotBefore);
            w.WriteNullableDateTimeOffset(p.DueAt);
            w.WriteInt(p.Retries);
            w.WriteStringList(p.AttemptErrors);
        }
    }

    private static SchedulerSnapshot ReadPolicies(ref WireReader r, SchedulerSnapshot snapshot)
    {
        var policies = new TaskPolicyImage[Count(ref r, "Snapshot.Policies", 7)];
        for (var i = 0; i < policies.Length; i++)
        {
            policies[i] = new TaskPolicyImage(
                Text(ref r, "Policy.Id"),
                PolicyCodec.ReadRetry(ref r, "Policy.Retry"),
                r.ReadNullableTimeSpan("Policy.Timeout"),
                r.ReadNullableDateTimeOffset("Policy.NotBefore"),
                r.ReadNullableDateTimeOffset("Policy.DueAt"),
                r.ReadInt("Policy.Retries"),
                r.ReadStringList("Policy.AttemptErrors"));
        }
        // A snapshot tagged for its lanes alone writes no policies: it reads back as it was, with none.
        return policies.Length == 0 ? snapshot : new SchedulerSnapshot(snapshot.Image with { Policies = policies });
    }

    private static void Write(WireWriter w, SchedulerImage image)
    {
        w.WriteInt(image.LastSequence);
        w.WriteInt(image.NextShapeId);
        w.WriteInt(image.CapacityEpoch);
        w.WriteInt(image.TopologyEpoch);

        w.WriteCount(image.Shapes.Count);
        foreach (var shape in image.Shapes)
        {
            w.WriteInt(shape.Id);
            w.WriteString(shape.TaskName);
            w.WriteInt(shape.Priority);
            RequirementsCodec.Write(w, shape.Requirements, shape.Immunities);
            w.WriteBool(shape.Registered);
        }

        w.WriteCount(image.Nodes.Count);
        foreach (var node in image.Nodes)
        {
            EventCodecs.WriteRegistered(w, node.Registration);
            w.WriteBool(node.Reachable);
        }

        w.WriteCount(image.Tasks.Count);
        foreach (var task in image.Tasks) WriteTask(w, task);

        w.WriteCount(image.Users.Count);
        foreach (var user in image.Users)
        {
            w.WriteString(user.UserId);
            w.WriteInt(user.WaitingSince);
        }
        w.WriteInt(image.Stamps);

        w.WriteCount(image.Statistics.Count);
        foreach (var tally in image.Statistics)
        {
            w.WriteString(tally.TaskName);
            w.WriteInt(tally.Succeeded);
            w.WriteInt(tally.Failed);
            w.WriteInt(tally.Cancelled);
            WriteDurations(w, tally.Run);
            WriteDurations(w, tally.Wait);
        }

        w.WriteTimeSpan(image.HistoryInterval);
        w.WriteCount(image.History.Count);
        foreach (var bucket in image.History)
        {
            w.WriteInt(bucket.Index);
            w.WriteInt(bucket.Submitted);
            w.WriteInt(bucket.Started);
            w.WriteInt(bucket.Finished);
            w.WriteInt(bucket.Queued);
            w.WriteInt(bucket.Running);
        }
    }

    private static SchedulerImage Read(ref WireReader r)
    {
        var lastSequence = r.ReadLong("Snapshot.LastSequence");
        var nextShapeId = r.ReadInt("Snapshot.NextShapeId");
        var capacityEpoch = r.ReadLong("Snapshot.CapacityEpoch");
        var topologyEpoch = r.ReadLong("Snapshot.TopologyEpoch");

        var shapes = new ShapeImage[Count(ref r, "Snapshot.Shapes", 5)];
        for (var i = 0; i < shapes.Length; i++)
        {
            shapes[i] = new ShapeImage(
                r.ReadInt("Shape.Id"),
                Text(ref r, "Shape.TaskName"),
                r.ReadInt("Shape.Priority"),
                SortedQuantities(ref r, "Shape.Requirements"),
                RequiredSortedSet(ref r, "Shape.Immunities"),
                r.ReadBool("Shape.Registered"));
        }

        var nodes = new NodeImage[Count(ref r, "Snapshot.Nodes", 16)];
        for (var i = 0; i < nodes.Length; i++)
            nodes[i] = new NodeImage(EventCodecs.ReadRegistered(ref r), r.ReadBool("Node.Reachable"));

        var tasks = new TaskImage[Count(ref r, "Snapshot.Tasks", 30)];
        for (var i = 0; i < tasks.Length; i++) tasks[i] = ReadTask(ref r);

        var users = new UserImage[Count(ref r, "Snapshot.Users", 2)];
        for (var i = 0; i < users.Length; i++)
            users[i] = new UserImage(Text(ref r, "User.UserId"), r.ReadLong("User.WaitingSince"));
        var stamps = r.ReadLong("Snapshot.Stamps");

        var statistics = new StatisticsTally[Count(ref r, "Snapshot.Statistics", 12)];
        for (var i = 0; i < statistics.Length; i++)
        {
            statistics[i] = new StatisticsTally(
                Text(ref r, "Statistics.TaskName"),
                r.ReadInt("Statistics.Succeeded"),
                r.ReadInt("Statistics.Failed"),
                r.ReadInt("Statistics.Cancelled"),
                ReadDurations(ref r, "Statistics.Run"),
                ReadDurations(ref r, "Statistics.Wait"));
        }

        var historyInterval = r.ReadTimeSpan("Snapshot.HistoryInterval");
        var history = new HistoryBucket[Count(ref r, "Snapshot.History", 6)];
        for (var i = 0; i < history.Length; i++)
        {
            history[i] = new HistoryBucket(
                r.ReadLong("History.Index"),
                r.ReadInt("History.Submitted"),
                r.ReadInt("History.Started"),
                r.ReadInt("History.Finished"),
                r.ReadInt("History.Queued"),
                r.ReadInt("History.Running"));
        }

        return new SchedulerImage(lastSequence, nextShapeId, capacityEpoch, topologyEpoch, shapes, nodes, tasks, users, stamps, statistics, historyInterval, history);
    }

    private static void WriteTask(WireWriter w, TaskImage t)
    {
        w.WriteString(t.Id);
        w.WriteInt(t.Sequence);
        w.WriteInt(t.ShapeId);
        w.WriteString(t.UserId);
        w.WriteString(t.Payload);
        w.WriteStringSet(t.AversionGroups);
        w.WriteInt(t.MaxAttempts);
        w.WriteString(t.SubmissionId);
        w.WriteDateTimeOffset(t.SubmittedAt);
        w.WriteInt((int)t.State);
        w.WriteDouble(t.Progress);
        w.WriteString(t.Result);
        w.WriteString(t.Error);
        w.WriteString(t.Node);
        w.WriteInt(t.Attempts);
        w.WriteBool(t.Requeued);
        w.WriteBool(t.CancelRequested);
        w.WriteNullableDateTimeOffset(t.StartedAt);
        w.WriteNullableDateTimeOffset(t.FinishedAt);
        w.WriteNullableDateTimeOffset(t.CollectedAt);
        w.WriteDateTimeOffset(t.ExpiresAt);
    }

    private static TaskImage ReadTask(ref WireReader r) => new(
        Id: Text(ref r, "Task.Id"),
        Sequence: r.ReadLong("Task.Sequence"),
        ShapeId: r.ReadInt("Task.ShapeId"),
        UserId: Text(ref r, "Task.UserId"),
        Payload: Text(ref r, "Task.Payload"),
        AversionGroups: SortedSet(ref r, "Task.AversionGroups"),
        MaxAttempts: r.ReadInt("Task.MaxAttempts"),
        SubmissionId: r.ReadString("Task.SubmissionId"),
        SubmittedAt: r.ReadDateTimeOffset("Task.SubmittedAt"),
        State: r.ReadEnum<TaskState>("Task.State"),
        Progress: r.ReadDouble("Task.Progress"),
        Result: r.ReadString("Task.Result"),
        Error: r.ReadString("Task.Error"),
        Node: r.ReadString("Task.Node"),
        Attempts: r.ReadInt("Task.Attempts"),
        Requeued: r.ReadBool("Task.Requeued"),
        CancelRequested: r.ReadBool("Task.CancelRequested"),
        StartedAt: r.ReadNullableDateTimeOffset("Task.StartedAt"),
        FinishedAt: r.ReadNullableDateTimeOffset("Task.FinishedAt"),
        CollectedAt: r.ReadNullableDateTimeOffset("Task.CollectedAt"),
        ExpiresAt: r.ReadDateTimeOffset("Task.ExpiresAt"));

    private static void WriteDurations(WireWriter w, DurationTally d)
    {
        w.WriteInt(d.Count);
        w.WriteInt(d.TotalTicks);
        w.WriteTimeSpan(d.Min);
        w.WriteTimeSpan(d.Max);
    }

    private static DurationTally ReadDurations(ref WireReader r, string what) =>
        new(r.ReadInt(what + ".Count"), r.ReadLong(what + ".TotalTicks"), r.ReadTimeSpan(what + ".Min"), r.ReadTimeSpan(what + ".Max"));
}
