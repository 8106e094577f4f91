using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// Limits on everything a caller controls (issue 11, item 8): each hostile input is refused naming the limit and its key,
/// and nothing that was already accepted changes.
/// </summary>
public sealed class InputLimitTests
{
    private static SubmissionRejected Refused(StateHarness h, SubmitTask submission)
    {
        var queued = h.State.Queues.Queued;
        var rejected = Assert.IsType<SubmissionRejected>(h.Submit(submission));
        Assert.Equal(queued, h.State.Queues.Queued);
        return rejected;
    }

    [Fact]
    public void A_task_name_or_user_id_over_the_length_limit_is_refused_naming_it()
    {
        var h = new StateHarness();
        h.Submit();

        var task = Refused(h, new SubmitTask(new string('t', 100_000), "{}", "alice"));
        var user = Refused(h, new SubmitTask("echo", "{}", new string('u', 201)));

        Assert.Equal(RejectionCode.InvalidSubmission, task.Code);
        Assert.EndsWith("is 100000 characters long, over the limit of 200 (lighthouse.scheduler.max-name-length)", task.Reason);
        Assert.StartsWith("task name \"tttt", task.Reason);
        Assert.StartsWith("user id \"uuuu", user.Reason);
        Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", new string('u', 200))));
    }

    [Fact]
    public void Too_many_requirement_keys_immunities_or_aversion_groups_are_refused_before_any_is_read()
    {
        var h = new StateHarness();
        var keys = Enumerable.Range(0, 20_000).ToDictionary(i => $"key-{i}", _ => 1.0);
        var names = Enumerable.Range(0, 65).Select(i => $"n{i}").ToHashSet();

        var requirements = Refused(h, new SubmitTask("echo", "{}", "alice", Requirements: keys));
        var immunities = Refused(h, new SubmitTask("echo", "{}", "alice", Immunities: names));
        var groups = Refused(h, new SubmitTask("echo", "{}", "alice", AversionGroups: names));

        Assert.Equal("20000 requirement keys is over the limit of 64 per task (lighthouse.scheduler.max-requirements)", requirements.Reason);
        Assert.Equal("65 immunities is over the limit of 64 per task (lighthouse.scheduler.max-names-per-set)", immunities.Reason);
        Assert.Equal("65 aversion groups is over the limit of 64 per task (lighthouse.scheduler.max-names-per-set)", groups.Reason);
    }

    [Fact]
    public void A_full_queue_across_users_answers_queue_full_and_keeps_what_it_holds()
    {
        var h = new StateHarness(SchedulerSettings.Default with { QueueCapTotal = 3 });
        h.Submit("alice");
        h.Submit("bob");
        h.Submit("carol");

        var rejected = Refused(h, new SubmitTask("echo", "{}", "dave"));

        Assert.Equal(RejectionCode.QueueFull, rejected.Code);
        Assert.Equal("the queue is full: 3 tasks are queued across all users, the cap (lighthouse.scheduler.queue-cap-total = 3); try again later", rejected.Reason);
        Assert.Equal(3, h.State.Queues.Queued);
    }

    [Fact]
    public void A_workers_huge_error_text_is_kept_up_to_the_limit_with_a_note()
    {
        var h = new StateHarness(SchedulerSettings.Default with { MaxErrorBytes = 1000 });
        h.Register("n");
        var id = h.Submit();
        h.Dispatch();

        h.Report(new ReportFailure(id, "é" + new string('x', 5_000_000)));

        var error = h.Status(id).Error!;
        Assert.Equal(TaskState.Failed, h.Status(id).State);
        Assert.StartsWith("é" + new string('x', 998) + " … (truncated: the worker's error was 5,000,002 bytes, over the 1,000 bytes kept; lighthouse.scheduler.max-error-bytes)", error);
    }

    [Fact]
    public void A_submission_id_belongs_to_its_user_so_another_user_cannot_claim_it()
    {
        var h = new StateHarness();
        var alice = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "\"alice's\"", "alice", SubmissionId: "nightly-1")));

        // Bob sends the same id first or later: he gets a task of his own, never alice's (and never a duplicate of it).
        var bob = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "\"bob's\"", "bob", SubmissionId: "nightly-1")));
        var again = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "\"alice's\"", "alice", SubmissionId: "nightly-1")));

        Assert.False(bob.Duplicate);
        Assert.NotEqual(alice.TaskId, bob.TaskId);
        Assert.Equal((alice.TaskId, true), (again.TaskId, again.Duplicate));
        Assert.Equal(("alice", "bob"), (h.Status(alice.TaskId).UserId, h.Status(bob.TaskId).UserId));
    }

    [Fact]
    public void A_worker_node_name_over_the_length_limit_is_refused()
    {
        var problem = SubmissionRules.Problem(StateHarness.Registration(new string('w', 300)), SchedulerSettings.Default);

        Assert.EndsWith("is 300 characters long, over the limit of 200 (lighthouse.scheduler.max-name-length)", problem);
    }
}
