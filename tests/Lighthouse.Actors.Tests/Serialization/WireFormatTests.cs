using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Serialization;

/// <summary>
/// The wire format is a contract between the nodes of a cluster, which may run different builds
/// during a rolling upgrade: the manifests and the bytes of a message must not change by accident.
/// </summary>
[Collection(SerializerCollection.Name)]
public sealed class WireFormatTests(SerializerFixture wire)
{
    // Types added later get their own manifest (checked for uniqueness elsewhere); these never change.
    private static readonly Dictionary<Type, string> PinnedManifests = new()
    {
        [typeof(SubmitTask)] = "ST", [typeof(SubmissionAccepted)] = "SA", [typeof(SubmissionRejected)] = "SR",
        [typeof(GetTaskStatus)] = "GS", [typeof(UnknownTask)] = "UT", [typeof(CancelTask)] = "CT",
        [typeof(TaskCancelled)] = "TC", [typeof(CancelPending)] = "CP", [typeof(TaskAlreadyFinished)] = "AF",
        [typeof(ListTasks)] = "LT", [typeof(TaskList)] = "TL", [typeof(TaskInfo)] = "TI",
        [typeof(PriorityRange)] = "PR", [typeof(RegisterWorker)] = "RW", [typeof(WorkerRegistered)] = "WR",
        [typeof(WorkerRegistrationRejected)] = "WX", [typeof(StartTask)] = "RN", [typeof(CancelRunningTask)] = "CR",
        [typeof(ReportProgress)] = "RP", [typeof(ReportSuccess)] = "RS", [typeof(ReportFailure)] = "RF",
        [typeof(AcknowledgeCancel)] = "AC", [typeof(ReportRejected)] = "RR",
        [typeof(GetNodes)] = "GN", [typeof(NodeView)] = "NV", [typeof(NodesView)] = "NS", [typeof(GetQueues)] = "GQ",
        [typeof(UserQueueView)] = "UQ", [typeof(QueuesView)] = "QV", [typeof(GetStatistics)] = "GT",
        [typeof(DurationSummary)] = "DS", [typeof(TaskNameStatistics)] = "TS", [typeof(StatisticsView)] = "SV",
        [typeof(GetHistory)] = "GH", [typeof(HistorySample)] = "HS", [typeof(HistoryView)] = "HV",
        [typeof(CorrelatedRequest)] = "CQ", [typeof(CorrelatedAnswer)] = "CA",
        [typeof(WorkerLane)] = "WL", [typeof(LaneView)] = "LV",
    };

    // Types that gained fields later: a message that uses them travels under a second manifest, pinned as well
    // (see MessageCodec.Extended); one that does not keeps the manifest and the bytes above.
    private static readonly Dictionary<Type, string> PinnedExtendedManifests = new()
    {
        [typeof(SubmitTask)] = "S2", [typeof(TaskInfo)] = "I2", [typeof(TaskList)] = "L2", [typeof(StartTask)] = "RT",
        [typeof(GetQueues)] = "GR", [typeof(GetStatistics)] = "GU",
        [typeof(RegisterWorker)] = "RL", [typeof(NodeView)] = "NL", [typeof(NodesView)] = "NM",
    };

    public static TheoryData<string> PinnedTypeNames => new(PinnedManifests.Keys.Select(t => t.Name));

    [Fact]
    public void Messages_without_the_later_fields_keep_their_first_manifest()
    {
        Assert.Equal("ST", wire.Serializer.Manifest(new SubmitTask("echo", "{}", "alice")));
        Assert.Equal("RN", wire.Serializer.Manifest(new StartTask("t", "echo", "{}", "alice", 0, 1)));
        var info = (TaskInfo)SampleFactory.Create(typeof(TaskInfo), nullsWherePossible: true) with { Retries = 0 };
        Assert.Equal("TI", wire.Serializer.Manifest(info));
        Assert.Equal("TL", wire.Serializer.Manifest(new TaskList("alice", [info])));
        Assert.Equal("TU", wire.Serializer.Manifest(new TaskUpdated(info)));
        // A worker without lanes registers, and is shown, exactly as before lanes existed.
        var registration = new RegisterWorker("w", new Dictionary<string, double>(), ["echo"], PriorityRange.All, 4);
        Assert.Equal("RW", wire.Serializer.Manifest(registration));
        Assert.Equal("RL", wire.Serializer.Manifest(registration with { Lanes = [new WorkerLane(4, PriorityRange.All)] }));
        var node = new NodeView("w", WorkerNodeState.Reachable, new Dictionary<string, double>(), new Dictionary<string, double>(), 4, 4, [], ["echo"], PriorityRange.All, DateTimeOffset.UnixEpoch);
        Assert.Equal("NV", wire.Serializer.Manifest(node));
        Assert.Equal("NS", wire.Serializer.Manifest(new NodesView([node])));
        var laned = node with { Lanes = [new LaneView(4, 3, PriorityRange.All, 10)] };
        Assert.Equal("NM", wire.Serializer.Manifest(new NodesView([node, laned])));
        var read = Assert.IsType<NodesView>(wire.Serializer.FromBinary(wire.Serializer.ToBinary(new NodesView([node, laned])), "NM"));
        Assert.Null(read.Nodes[0].Lanes);
        Assert.Equal(new LaneView(4, 3, PriorityRange.All, 10), Assert.Single(read.Nodes[1].Lanes!));
        // With the first round of policies only: the first extension, whatever came after.
        Assert.Equal("SP", wire.Serializer.Manifest(new SubmitTask("echo", "{}", "alice") { Delay = TimeSpan.Zero }));
        var withPolicy = info with { Retries = 1 };
        Assert.Equal("TJ", wire.Serializer.Manifest(withPolicy));
        Assert.Equal("TM", wire.Serializer.Manifest(new TaskList("alice", [withPolicy])));
        Assert.Equal("TV", wire.Serializer.Manifest(new TaskUpdated(withPolicy)));
        Assert.Equal("U2", wire.Serializer.Manifest(new TaskUpdated(info with { After = ["task-1"] })));
        // Queues without a page: what clients before paging send, and the answer they read.
        Assert.Equal("GQ", wire.Serializer.Manifest(GetQueues.Instance));
        Assert.Equal("QV", wire.Serializer.Manifest(new QueuesView(1, 0, new Dictionary<int, int> { [0] = 1 }, [])));
        Assert.Equal("GR", wire.Serializer.Manifest(new GetQueues(0, 50)));
    }

    [Fact]
    public void A_page_of_queues_carries_its_total_offset_and_blocked_count_and_an_old_answer_reads_without_them()
    {
        var page = new QueuesView(7, 2, new Dictionary<int, int> { [0] = 7 }, [new UserQueueView("alice", 4, 1, new Dictionary<int, int> { [0] = 4 })])
        {
            UserCount = 5, Offset = 1, Blocked = 3,
        };
        var old = page with { UserCount = null, Offset = 0, Blocked = 0 };

        Assert.Equal("QW", wire.Serializer.Manifest(page));
        var read = (QueuesView)wire.Serializer.FromBinary(wire.Serializer.ToBinary(page), "QW");
        Assert.Equal((5, 1, 3, 3), (read.UserCount, read.Offset, read.Blocked, read.MoreUsers));
        Assert.Equal("alice", Assert.Single(read.Users).UserId);
        // The old encoding is exactly the start of the new one, so an answer to an old client is what it always read.
        var oldBytes = wire.Serializer.ToBinary(old);
        Assert.Equal(oldBytes, wire.Serializer.ToBinary(page)[..oldBytes.Length]);
        Assert.Null(((QueuesView)wire.Serializer.FromBinary(oldBytes, "QV")).UserCount);
        Assert.Equal(new GetQueues(3, 20), wire.Serializer.FromBinary(wire.Serializer.ToBinary(new GetQueues(3, 20)), "GR"));
        Assert.Same(GetQueues.Instance, wire.Serializer.FromBinary(wire.Serializer.ToBinary(GetQueues.Instance), "GQ"));
    }

    [Fact]
    public void Statistics_with_the_policies_figures_carry_them_and_an_old_request_and_answer_read_as_before()
    {
        var due = new DateTimeOffset(2026, 12, 3, 10, 42, 3, TimeSpan.Zero);
        var names = new List<TaskNameStatistics> { new("echo", 3, 2, 1, 0, null, new DurationSummary(3, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2))) };
        var old = new StatisticsView(names);
        var extended = old with
        {
            Policies = new PolicyStatistics(3, 1, 2, 4, 5, 6, 7,
            [
                new PolicyWaitingTask("task-1", "echo", "alice", PolicyWait.Delayed, "not before 10:42:03Z", due.AddMinutes(-1), due),
                new PolicyWaitingTask("task-2", "echo", "bob", PolicyWait.ConcurrencyKey, "waiting for concurrency key db (2 of 2 running)", due, null),
            ]),
        };

        Assert.Equal("SV", wire.Serializer.Manifest(old));
        Assert.Equal("SW", wire.Serializer.Manifest(extended));
        var read = (StatisticsView)wire.Serializer.FromBinary(wire.Serializer.ToBinary(extended), "SW");
        Assert.Equal(extended.Policies with { Waiting = [] }, read.Policies! with { Waiting = [] });
        Assert.Equal(extended.Policies.Waiting, read.Policies!.Waiting);
        Assert.Equal(names, read.TaskNames);
        // The old encoding is exactly the start of the new one: an answer to an old client is what it always read.
        var oldBytes = wire.Serializer.ToBinary(old);
        Assert.Equal(oldBytes, wire.Serializer.ToBinary(extended)[..oldBytes.Length]);
        Assert.Null(((StatisticsView)wire.Serializer.FromBinary(oldBytes, "SV")).Policies);
        // Bytes an earlier build wrote for this view still read.
        // What a build before the policies' figures wrote for this view (pinned): it reads, without figures, and is still written so.
        var earlier = Convert.FromHexString("0201056563686F060402000001060080DAC40980B48913");
        var readEarlier = (StatisticsView)wire.Serializer.FromBinary(earlier, "SV");
        Assert.Equal(names, readEarlier.TaskNames);
        Assert.Null(readEarlier.Policies);
        Assert.Equal(earlier, oldBytes);

        Assert.Equal("GT", wire.Serializer.Manifest(GetStatistics.Instance));
        Assert.Equal("GU", wire.Serializer.Manifest(new GetStatistics(20)));
        Assert.Same(GetStatistics.Instance, wire.Serializer.FromBinary(wire.Serializer.ToBinary(GetStatistics.Instance), "GT"));
        Assert.Empty(wire.Serializer.ToBinary(GetStatistics.Instance));
        Assert.Equal(new GetStatistics(20), wire.Serializer.FromBinary(wire.Serializer.ToBinary(new GetStatistics(20)), "GU"));
        Assert.Equal(new GetStatistics(0), wire.Serializer.FromBinary(wire.Serializer.ToBinary(new GetStatistics(0)), "GU"));
    }

    [Theory]
    [MemberData(nameof(PinnedTypeNames))]
    public void A_manifest_once_published_never_changes(string typeName)
    {
        var (type, manifest) = PinnedManifests.Single(p => p.Key.Name == typeName);

        Assert.Equal(PinnedExtendedManifests.GetValueOrDefault(type, manifest), wire.Serializer.Manifest(SampleFactory.Create(type, nullsWherePossible: false)));
    }

    [Fact]
    public void A_submission_has_the_documented_bytes()
    {
        var submit = new SubmitTask("echo", "{}", "alice", -1, new Dictionary<string, double> { ["cpu"] = 2 }, null, null, 3, "s");

        Assert.Equal(
            "05 65 63 68 6F"                 // "echo": UTF-8 length + 1, then the bytes
            + " 03 7B 7D"                    // "{}"
            + " 06 61 6C 69 63 65"           // "alice"
            + " 01"                          // priority -1, zigzag varint
            + " 02 04 63 70 75 00 00 00 00 00 00 00 40" // one requirement (count + 1), "cpu" = 2.0 as little-endian bits
            + " 00 00"                       // no immunities, no aversion groups (null marker)
            + " 01 06"                       // max attempts present, 3
            + " 02 73"                       // submission id "s"
            + " 00",                         // not watched
            Hex(wire.Serializer.ToBinary(submit)));
    }

    [Fact]
    public void A_batch_has_the_documented_bytes_each_message_behind_its_manifest()
    {
        var batch = new MessageBatch([new GetTaskStatus("t"), new CancelTask("u")]);

        Assert.Equal(
            "03"                             // two messages (count + 1)
            + " 03 47 53 02 74 01"           // "GS", then GetTaskStatus("t") with collect
            + " 03 43 54 02 75",             // "CT", then CancelTask("u")
            Hex(wire.Serializer.ToBinary(batch)));
    }

    [Fact]
    public void A_batch_inside_a_batch_is_refused_both_ways()
    {
        var inner = new MessageBatch([new CancelTask("u")]);
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => wire.Serializer.ToBinary(new MessageBatch([inner])));

        // Hand-made: one message whose manifest is "MB" again.
        byte[] nested = [0x02, 0x03, 0x4D, 0x42, 0x01];
        var refused = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => wire.Serializer.FromBinary(nested, "MB"));
        Assert.Contains("batches do not nest", refused.Message);
    }

    [Fact]
    public void A_correlated_request_and_answer_have_the_documented_bytes_the_id_first_then_the_message_behind_its_manifest()
    {
        Assert.Equal(
            "0A"                             // correlation id 5, zigzag varint
            + " 03 47 53 02 74 01",          // "GS", then GetTaskStatus("t") with collect
            Hex(wire.Serializer.ToBinary(new CorrelatedRequest(5, new GetTaskStatus("t")))));
        Assert.Equal(
            "01"                             // correlation id -1
            + " 03 54 43 02 74",             // "TC", then TaskCancelled("t")
            Hex(wire.Serializer.ToBinary(new CorrelatedAnswer(-1, new TaskCancelled("t")))));
    }

    [Fact]
    public void A_wrapper_or_a_batch_inside_a_wrapper_is_refused_both_ways_but_wrappers_inside_a_batch_are_not()
    {
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() =>
            wire.Serializer.ToBinary(new CorrelatedRequest(1, new CorrelatedRequest(2, new CancelTask("u")))));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() =>
            wire.Serializer.ToBinary(new CorrelatedAnswer(1, new MessageBatch([new CancelTask("u")]))));

        // Hand-made: id 1, then a message whose manifest is "CA" again, or "MB".
        byte[] nested = [0x02, 0x03, 0x43, 0x41, 0x02];
        byte[] batch = [0x02, 0x03, 0x4D, 0x42, 0x01];
        Assert.Contains("do not go inside a wrapper", Assert.Throws<System.Runtime.Serialization.SerializationException>(() => wire.Serializer.FromBinary(nested, "CA")).Message);
        Assert.Contains("do not go inside a wrapper", Assert.Throws<System.Runtime.Serialization.SerializationException>(() => wire.Serializer.FromBinary(batch, "CQ")).Message);

        var answers = new MessageBatch([new CorrelatedAnswer(7, new TaskCancelled("a")), new TaskUpdated(RoundTripTests.Info(TaskState.Succeeded))]);
        wire.AssertRoundTrips(answers);
    }

    [Fact]
    public void A_rejection_has_the_documented_bytes_with_its_code_last()
    {
        Assert.Equal(
            "02 73"                          // submission id "s"
            + " 02 72"                       // reason "r"
            + " 02",                         // code QueueFull = 1, zigzag 2
            Hex(wire.Serializer.ToBinary(new SubmissionRejected("s", "r", RejectionCode.QueueFull))));
    }

    [Fact]
    public void A_status_read_has_the_documented_bytes_with_its_collect_flag_last()
    {
        Assert.Equal("02 74 01", Hex(wire.Serializer.ToBinary(new GetTaskStatus("t"))));
        Assert.Equal("02 74 00", Hex(wire.Serializer.ToBinary(new GetTaskStatus("t", Collect: false))));
    }

    [Fact]
    public void A_progress_report_has_the_documented_bytes()
    {
        Assert.Equal("02 74 00 00 00 00 00 00 49 40", Hex(wire.Serializer.ToBinary(new ReportProgress("t", 50))));
    }

    [Fact]
    public void A_task_status_has_the_documented_bytes()
    {
        var at = new DateTimeOffset(new DateTime(2000, 1, 1), TimeSpan.FromHours(-1));
        var info = new TaskInfo("t", "n", "u", 300, TaskState.Failed, 0.5, null, "e", null, 1, 2, at, null, at, null, true, null);

        Assert.Equal(
            "02 74 02 6E 02 75"              // task id, name, user
            + " D8 04"                       // priority 300: zigzag 600 as a two-byte varint
            + " 06"                          // state Failed = 3
            + " 00 00 00 00 00 00 E0 3F"     // progress 0.5
            + " 00 02 65 00"                 // no result, error "e", no node
            + " 02 04"                       // attempts 1, max attempts 2
            + " 00 40 E4 47 02 22 C1 08 77"  // submitted: clock ticks, then offset -60 minutes
            + " 00"                          // not started
            + " 01 00 40 E4 47 02 22 C1 08 77" // finished
            + " 00 01 00"                    // no pending reason, cancel requested, no submission id
            + " 00",                         // no capacity verdict
            Hex(wire.Serializer.ToBinary(info)));
    }

    [Fact]
    public void A_queued_task_status_ends_with_its_capacity_verdict()
    {
        var at = new DateTimeOffset(new DateTime(2000, 1, 1), TimeSpan.Zero);
        var waits = new TaskInfo("t", "n", "u", 0, TaskState.Queued, 0, null, null, null, 0, 1, at, null, null, "r", false, null, true);

        var bytes = Hex(wire.Serializer.ToBinary(waits));
        var never = Hex(wire.Serializer.ToBinary(waits with { WaitsForCapacity = false }));

        Assert.EndsWith(" 02 72 00 00 01 01", bytes);       // pending reason "r", no cancel, no submission id, verdict present, true
        Assert.EndsWith(" 02 72 00 00 01 00", never);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => $"{a} {b}");
}
