using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>What a submission must be to be accepted, and that a refusal changes nothing.</summary>
public sealed class SubmissionTests
{
    [Fact]
    public void Malformed_json_is_rejected_with_the_parsers_message_and_nothing_is_queued()
    {
        var h = new StateHarness();
        h.Submit();

        var reply = h.Submit(new SubmitTask("echo", "{\"size\": ", "alice"));

        var rejected = Assert.IsType<SubmissionRejected>(reply);
        var reason = rejected.Reason;
        Assert.Equal(RejectionCode.InvalidSubmission, rejected.Code);
        Assert.StartsWith("payload is not valid JSON: ", reason);
        Assert.Contains("LineNumber", reason);
        Assert.Equal(1, h.State.Queues.Queued);
    }

    [Fact]
    public void A_users_tasks_share_one_user_id_string_and_a_new_user_gets_its_own()
    {
        var h = new StateHarness();
        // Each as the wire decodes it: a fresh string every time.
        string Fresh(string text) => new(text.AsSpan());
        var first = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", Fresh("alice")))).TaskId;
        var alice = Fresh("alice");
        var second = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", alice))).TaskId;
        var bob = Fresh("bob");
        var third = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", bob))).TaskId;

        Assert.Same(h.State.Tasks.Find(first)!.UserId, h.State.Tasks.Find(second)!.UserId);
        Assert.NotSame(alice, h.State.Tasks.Find(second)!.UserId);
        Assert.Equal("bob", h.State.Tasks.Find(third)!.UserId);
        Assert.Equal([first, second], h.State.Tasks.OfUser(alice).Select(t => t.Id));
    }

    [Fact]
    public void A_payload_over_the_cap_is_rejected_naming_its_size_and_the_cap()
    {
        var h = new StateHarness();
        var payload = "\"" + new string('x', 1024 * 1024) + "\"";

        var reply = h.Submit(new SubmitTask("echo", payload, "alice"));

        Assert.Equal(
            new SubmissionRejected(null, "payload is 1,048,578 bytes, over the cap of 1,048,576 bytes (lighthouse.scheduler.max-payload-bytes)", RejectionCode.PayloadTooLarge),
            reply);
        Assert.Equal(0, h.State.Queues.Queued);
    }

    [Fact]
    public void The_payload_cap_counts_utf8_bytes()
    {
        var h = new StateHarness(SchedulerSettings.Default with { MaxPayloadBytes = 10 });

        // Six characters but ten bytes: exactly the cap.
        Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "\"éééé\"", "alice")));
        var rejected = Assert.IsType<SubmissionRejected>(h.Submit(new SubmitTask("echo", "\"ééééé\"", "alice")));
        Assert.StartsWith("payload is 12 bytes, over the cap of 10 bytes", rejected.Reason);
        Assert.Equal(RejectionCode.PayloadTooLarge, rejected.Code);
    }

    [Fact]
    public void Over_the_per_user_cap_a_submission_is_rejected_and_the_queue_is_untouched()
    {
        var h = new StateHarness(SchedulerSettings.Default with { QueueCapPerUser = 3 });
        var queued = Enumerable.Range(0, 3).Select(_ => h.Submit("alice")).ToList();

        var reply = h.Submit(new SubmitTask("echo", "{}", "alice", SubmissionId: "s-4"));

        var rejected = Assert.IsType<SubmissionRejected>(reply);
        Assert.Equal("s-4", rejected.SubmissionId);
        Assert.Equal("user \"alice\" already has 3 queued tasks, the cap per user (lighthouse.scheduler.queue-cap-per-user = 3)", rejected.Reason);
        Assert.Equal(RejectionCode.QueueFull, rejected.Code);
        Assert.Equal(queued, h.State.TasksOf("alice", h.Now).Tasks.Select(t => t.TaskId));
        Assert.All(queued, id => Assert.Equal(TaskState.Queued, h.Status(id).State));
        // The cap is per user, and counts queued tasks only.
        h.Submit("bob");
        h.Register("n", slots: 1);
        h.Dispatch();
        h.Submit("alice");
    }

    [Fact]
    public void A_repeated_submission_id_answers_the_original_task_and_queues_nothing()
    {
        var h = new StateHarness(SchedulerSettings.Default with { QueueCapPerUser = 1 });
        var first = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", "alice", SubmissionId: "abc")));

        var again = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", "alice", SubmissionId: "abc")));

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.TaskId, again.TaskId);
        Assert.Equal(1, h.State.Queues.Queued);
        // The id is the user's own: another user's "abc" is another task.
        var other = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", "bob", SubmissionId: "abc")));
        Assert.NotEqual(first.TaskId, other.TaskId);
    }

    [Theory]
    [InlineData("cpu", double.NaN, "requirement \"cpu\" is NaN")]
    [InlineData("slots", 2.0, "requirement \"slots\" is reserved: the scheduler counts one slot per task itself")]
    [InlineData("task:echo", 0.0, "requirement \"task:echo\" is reserved: \"task:\" names the task names a node handles")]
    [InlineData(" ", 1.0, "requirement name is empty")]
    public void A_bad_requirement_is_rejected_by_name(string key, double quantity, string reason)
    {
        var h = new StateHarness();

        var reply = h.Submit(new SubmitTask("echo", "{}", "alice", Requirements: new Dictionary<string, double> { [key] = quantity }));

        Assert.Equal(reason, Assert.IsType<SubmissionRejected>(reply).Reason);
        Assert.Equal(0, h.State.Tasks.Count);
    }

    public static TheoryData<SubmitTask, string> BadSubmissions => new()
    {
        { new SubmitTask("echo", "{}", ""), "user id is empty" },
        { new SubmitTask("", "{}", "alice"), "task name is empty" },
        { new SubmitTask("ec\u0001ho", "{}", "alice"), "task name \"ec\u0001ho\" contains the control character U+0001" },
        { new SubmitTask("echo", "{}", "alice", MaxAttempts: 0), "max attempts 0 is invalid: a task needs at least 1 attempt" },
        { new SubmitTask("echo", "{}", "alice", SubmissionId: ""), "submission id is empty" },
        { new SubmitTask("echo", null!, "alice"), "payload is missing" },
        { new SubmitTask("echo", "{}", "alice", Immunities: new HashSet<string> { "" }), "immunity is empty" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public void Every_bad_field_is_named(SubmitTask submission, string reason)
    {
        var h = new StateHarness();

        Assert.Equal(new SubmissionRejected(submission.SubmissionId, reason, RejectionCode.InvalidSubmission), h.Submit(submission));
    }

    [Fact]
    public void A_user_at_the_cap_still_learns_what_is_wrong_with_a_bad_submission_rather_than_that_the_queue_is_full()
    {
        var h = new StateHarness(SchedulerSettings.Default with { QueueCapPerUser = 1, MaxPayloadBytes = 10 });
        h.Submit("alice");

        var malformed = h.Submit(new SubmitTask("echo", "{", "alice"));
        var oversized = h.Submit(new SubmitTask("echo", "\"0123456789\"", "alice"));
        var fine = h.Submit(new SubmitTask("echo", "{}", "alice"));

        Assert.Equal(RejectionCode.InvalidSubmission, Assert.IsType<SubmissionRejected>(malformed).Code);
        Assert.Equal(RejectionCode.PayloadTooLarge, Assert.IsType<SubmissionRejected>(oversized).Code);
        Assert.Equal(RejectionCode.QueueFull, Assert.IsType<SubmissionRejected>(fine).Code);
        Assert.Equal(1, h.State.Queues.Queued);
    }

    [Fact]
    public void A_bad_field_is_named_before_an_oversized_payload()
    {
        var h = new StateHarness(SchedulerSettings.Default with { MaxPayloadBytes = 10 });

        var reply = h.Submit(new SubmitTask("echo", "\"0123456789\"", "", SubmissionId: "s"));

        Assert.Equal(new SubmissionRejected("s", "user id is empty", RejectionCode.InvalidSubmission), reply);
    }

    [Fact]
    public void Defaults_apply_and_ids_follow_submission_order()
    {
        var h = new StateHarness(SchedulerSettings.Default with { DefaultMaxAttempts = 5 });

        var id1 = h.Submit();
        var id2 = h.Submit(maxAttempts: 2);

        Assert.Equal(("task-1", "task-2"), (id1, id2));
        Assert.Equal(5, h.Status(id1).MaxAttempts);
        Assert.Equal(2, h.Status(id2).MaxAttempts);
        Assert.Equal(0, h.Status(id1).Priority);
    }
}
