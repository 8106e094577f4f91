using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Serialization;

/// <summary>Realistic and edge values survive the wire unchanged, for every conversation.</summary>
[Collection(SerializerCollection.Name)]
public sealed class RoundTripTests(SerializerFixture wire)
{
    private static readonly DateTimeOffset Submitted = new(2025, 6, 1, 12, 30, 15, 123, TimeSpan.FromHours(2));

    public static TheoryData<string> EdgeDoubles => new()
    {
        nameof(double.PositiveInfinity), nameof(double.NegativeInfinity), nameof(double.NaN), "NaN payload",
        nameof(double.Epsilon), "largest denormal", "-0", nameof(double.MaxValue), nameof(double.MinValue), "0.1",
    };

    private static double EdgeDouble(string name) => name switch
    {
        nameof(double.PositiveInfinity) => double.PositiveInfinity,
        nameof(double.NegativeInfinity) => double.NegativeInfinity,
        nameof(double.NaN) => double.NaN,
        "NaN payload" => BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF),
        nameof(double.Epsilon) => double.Epsilon,
        "largest denormal" => BitConverter.Int64BitsToDouble(0x000F_FFFF_FFFF_FFFF),
        "-0" => -0.0,
        nameof(double.MaxValue) => double.MaxValue,
        nameof(double.MinValue) => double.MinValue,
        _ => 0.1,
    };

    [Fact]
    public void A_realistic_submission_round_trips()
    {
        wire.AssertRoundTrips(new SubmitTask(
            "render", """{"scene": "lobby", "frames": [1, 2, 3], "quality": 0.85}""", "alice", 5,
            new Dictionary<string, double> { ["cpu"] = 2, ["gpu"] = 1, ["memory"] = 4096.5 },
            new HashSet<string> { "night-shift" }, new HashSet<string> { "renderers" },
            MaxAttempts: 3, SubmissionId: "3f2b9c7e-6a1d-4c1e-9a53-0d6f0b5a8e21"));
    }

    [Fact]
    public void A_submission_with_every_optional_left_out_round_trips()
    {
        wire.AssertRoundTrips(new SubmitTask("echo", "{}", "bob"));
    }

    [Fact]
    public void A_submission_with_empty_collections_keeps_them_empty_not_null()
    {
        var submitted = new SubmitTask("echo", "", "", 0, new Dictionary<string, double>(), new HashSet<string>(), new HashSet<string>(), 0, "");

        var received = (SubmitTask)wire.RoundTrip(submitted);

        WireEquality.AssertSame(submitted, received);
        Assert.NotNull(received.Requirements);
        Assert.NotNull(received.Immunities);
    }

    [Fact]
    public void A_submission_with_many_requirements_round_trips()
    {
        var requirements = Enumerable.Range(0, 5_000).ToDictionary(i => $"resource-{i}", i => i * 0.5 - 100);

        wire.AssertRoundTrips(new SubmitTask("big", "[]", "carol", Requirements: requirements,
            Immunities: Enumerable.Range(0, 1_000).Select(i => $"immune-{i}").ToHashSet()));
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(64)]
    public void Priorities_and_attempts_round_trip_at_the_edges_of_int(int value)
    {
        wire.AssertRoundTrips(new SubmitTask("t", "{}", "u", value, MaxAttempts: value));
        wire.AssertRoundTrips(new StartTask("task-1", "t", "{}", "u", value, value));
        wire.AssertRoundTrips(new PriorityRange(value, int.MaxValue));
    }

    [Theory]
    [MemberData(nameof(EdgeDoubles))]
    public void Doubles_round_trip_bit_exact(string name)
    {
        var value = EdgeDouble(name);

        wire.AssertRoundTrips(new ReportProgress("task-1", value));
        wire.AssertRoundTrips(new SubmitTask("t", "{}", "u", Requirements: new Dictionary<string, double> { ["x"] = value }));
        wire.AssertRoundTrips(Info(TaskState.Running) with { Progress = value });
    }

    [Theory]
    [InlineData("")]
    [InlineData("EXIT")]
    [InlineData("plain ascii")]
    [InlineData("Zürich → 東京 ✓ 😀 👩‍👩‍👧 é (e + combining acute)")]
    [InlineData("\u0000 nul \t tab \r\n newline \u007F \uFFFD \uFEFF")]
    [InlineData("""{"json": "with \"escapes\" and \\ backslashes \u00e9"}""")]
    [InlineData("not json at all {")]
    public void Text_is_carried_byte_for_byte(string text)
    {
        var received = (StartTask)wire.RoundTrip(new StartTask(text, text, text, text, 0, 1));

        Assert.Equal(text, received.Payload, StringComparer.Ordinal);
        Assert.Equal(text, received.TaskId, StringComparer.Ordinal);
        wire.AssertRoundTrips(new ReportSuccess(text, text));
        wire.AssertRoundTrips(new SubmissionRejected(text, text, RejectionCode.PayloadTooLarge));
    }

    [Fact]
    public void A_one_mebibyte_payload_and_result_round_trip()
    {
        var payload = LargeJson(1 << 20);

        var submitted = (SubmitTask)wire.RoundTrip(new SubmitTask("big", payload, "alice"));
        var started = (StartTask)wire.RoundTrip(new StartTask("task-1", "big", payload, "alice", 0, 1));
        var succeeded = (ReportSuccess)wire.RoundTrip(new ReportSuccess("task-1", payload));

        Assert.Equal(payload, submitted.Payload, StringComparer.Ordinal);
        Assert.Equal(payload, started.Payload, StringComparer.Ordinal);
        Assert.Equal(payload, succeeded.Result, StringComparer.Ordinal);
    }

    [Fact]
    public void A_large_message_does_not_disturb_the_next_small_one()
    {
        wire.RoundTrip(new ReportSuccess("task-1", LargeJson(200_000)));

        var bytes = wire.Serializer.ToBinary(new GetTaskStatus("task-2"));

        Assert.True(bytes.Length < 16, $"GetTaskStatus took {bytes.Length} bytes");
        wire.AssertRoundTrips(new GetTaskStatus("task-2"));
        wire.AssertRoundTrips(new GetTaskStatus("task-2", Collect: false));
    }

    [Theory]
    [InlineData(TaskState.Queued)]
    [InlineData(TaskState.Running)]
    [InlineData(TaskState.Succeeded)]
    [InlineData(TaskState.Failed)]
    [InlineData(TaskState.Cancelled)]
    public void Task_info_round_trips_in_every_state(TaskState state)
    {
        wire.AssertRoundTrips(Info(state));
        wire.AssertRoundTrips(new TaskAlreadyFinished("task-1", state));
    }

    [Fact]
    public void Task_info_keeps_the_offset_of_its_dates_and_their_extremes()
    {
        wire.AssertRoundTrips(Info(TaskState.Succeeded) with
        {
            SubmittedAt = DateTimeOffset.MinValue,
            StartedAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.FromHours(-14)),
            FinishedAt = DateTimeOffset.MaxValue,
        });
        wire.AssertRoundTrips(Info(TaskState.Succeeded) with { SubmittedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(14)) });
    }

    [Fact]
    public void A_queued_task_with_no_optional_values_round_trips()
    {
        wire.AssertRoundTrips(new TaskInfo("task-9", "echo", "dave", -3, TaskState.Queued, 0, null, null, null, 0, 1,
            Submitted, null, null, null, false, null));
        wire.AssertRoundTrips(new TaskInfo("task-9", "echo", "dave", -3, TaskState.Queued, 0, null, null, null, 0, 1,
            Submitted, null, null, "0/1 nodes fit", false, null, WaitsForCapacity: true));
        wire.AssertRoundTrips(new TaskInfo("task-9", "echo", "dave", -3, TaskState.Queued, 0, null, null, null, 0, 1,
            Submitted, null, null, "0/1 nodes fit", false, null, WaitsForCapacity: false));
    }

    [Fact]
    public void A_task_list_round_trips_with_none_one_and_many_tasks()
    {
        wire.AssertRoundTrips(new TaskList("alice", []));
        wire.AssertRoundTrips(new TaskList("alice", [Info(TaskState.Queued)]));
        wire.AssertRoundTrips(new TaskList("alice", Enumerable.Range(0, 500).Select(i => Info((TaskState)(i % 5)) with { TaskId = $"task-{i}" }).ToList()));
    }

    [Fact]
    public void Client_answers_round_trip()
    {
        wire.AssertRoundTrips(new SubmissionAccepted("task-1", "sub-1", Duplicate: false));
        wire.AssertRoundTrips(new SubmissionAccepted("task-1", null, Duplicate: true));
        foreach (var code in Enum.GetValues<RejectionCode>())
            wire.AssertRoundTrips(new SubmissionRejected(null, "user \"alice\" already has 3 queued tasks", code));
        wire.AssertRoundTrips(new UnknownTask("task-404"));
        wire.AssertRoundTrips(new CancelTask("task-1"));
        wire.AssertRoundTrips(new TaskCancelled("task-1"));
        wire.AssertRoundTrips(new CancelPending("task-1", "worker-a"));
        wire.AssertRoundTrips(new ListTasks("alice"));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Correlated_requests_and_answers_round_trip_with_any_id_and_any_client_message(long id)
    {
        wire.AssertRoundTrips(new CorrelatedRequest(id, new SubmitTask("echo", "{}", "alice", SubmissionId: "sub-1", Watch: true)));
        wire.AssertRoundTrips(new CorrelatedRequest(id, new WatchTask("task-1", Progress: true, Collect: false)));
        wire.AssertRoundTrips(new CorrelatedAnswer(id, new SubmissionRejected("sub-1", "no", RejectionCode.QueueFull)));
        wire.AssertRoundTrips(new CorrelatedAnswer(id, new TaskList("alice", [Info(TaskState.Running)])));
        Assert.Same(GetQueues.Instance, ((CorrelatedRequest)wire.RoundTrip(new CorrelatedRequest(id, GetQueues.Instance))).Request);
    }

    [Fact]
    public void Worker_conversation_round_trips()
    {
        wire.AssertRoundTrips(new RegisterWorker("worker-a",
            new Dictionary<string, double> { ["cpu"] = 8, ["gpu"] = 0, ["quarantine"] = double.NegativeInfinity },
            ["echo", "sleep", "fail", "cpu"], PriorityRange.All, 16));
        wire.AssertRoundTrips(new RegisterWorker("worker-b", new Dictionary<string, double>(), [], new PriorityRange(-5, 5), 0));
        wire.AssertRoundTrips(new WorkerRegistered("worker-a"));
        wire.AssertRoundTrips(new WorkerRegistrationRejected("worker-a", "slots must be positive, got 0"));
        wire.AssertRoundTrips(new CancelRunningTask("task-1"));
        wire.AssertRoundTrips(new ReportFailure("task-1", "division by zero"));
        wire.AssertRoundTrips(new AcknowledgeCancel("task-1"));
        wire.AssertRoundTrips(new ReportRejected("task-1", "not running on worker-a"));
    }

    [Fact]
    public void Monitor_views_round_trip()
    {
        var node = new NodeView("worker-a", WorkerNodeState.Unreachable,
            new Dictionary<string, double> { ["cpu"] = 8 }, new Dictionary<string, double> { ["cpu"] = 2.5 },
            4, 1, ["task-1", "task-2", "task-3"], ["echo"], new PriorityRange(0, 10), Submitted);
        wire.AssertRoundTrips(new NodesView([node, node with { Node = "worker-b", State = WorkerNodeState.Reachable }]));
        wire.AssertRoundTrips(new NodesView([]));
        wire.AssertRoundTrips(new QueuesView(7, 2, new Dictionary<int, int> { [0] = 5, [int.MinValue] = 2 },
            [new UserQueueView("alice", 7, 2, new Dictionary<int, int> { [0] = 5, [int.MinValue] = 2 })]));
        wire.AssertRoundTrips(new StatisticsView([
            new TaskNameStatistics("echo", 10, 8, 1, 1,
                new DurationSummary(9, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2.5), TimeSpan.MaxValue),
                new DurationSummary(9, TimeSpan.MinValue, TimeSpan.Zero, TimeSpan.FromTicks(1))),
            new TaskNameStatistics("never-started", 1, 0, 0, 1, null, null),
        ]));
        wire.AssertRoundTrips(new HistoryView(TimeSpan.FromSeconds(1),
            [new HistorySample(Submitted, 100, 90, 80, 20, 10), new HistorySample(Submitted.AddSeconds(1), 0, 0, 0, 0, 0)]));
    }

    [Fact]
    public void Queries_without_fields_come_back_as_their_shared_instance()
    {
        Assert.Same(GetNodes.Instance, wire.RoundTrip(GetNodes.Instance));
        Assert.Same(GetQueues.Instance, wire.RoundTrip(GetQueues.Instance));
        Assert.Same(GetStatistics.Instance, wire.RoundTrip(GetStatistics.Instance));
        Assert.Same(GetHistory.Instance, wire.RoundTrip(GetHistory.Instance));
    }

    internal static TaskInfo Info(TaskState state) => new(
        "task-1", "render", "alice", 5, state, state == TaskState.Succeeded ? 100 : 42.5,
        state == TaskState.Succeeded ? """{"frames": 3}""" : null,
        state is TaskState.Failed or TaskState.Cancelled ? "worker said no" : null,
        state == TaskState.Queued ? null : "worker-a",
        state == TaskState.Queued ? 0 : 2, 3, Submitted,
        state == TaskState.Queued ? null : Submitted.AddSeconds(1),
        state.IsFinished() ? Submitted.AddSeconds(2) : null,
        state == TaskState.Queued ? "0/3 nodes fit: 2 lack \"gpu\"" : null,
        state == TaskState.Running, "sub-1");

    internal static string LargeJson(int length)
    {
        // A JSON array of numbers with multi-byte characters mixed in, cut to the exact length.
        var builder = new System.Text.StringBuilder(length + 32);
        builder.Append("[\"début ✓\"");
        for (var i = 0; builder.Length < length - 1; i++) builder.Append(',').Append(i);
        builder.Length = length - 1;
        return builder.Append(']').ToString();
    }
}
