using Lighthouse.Client;
using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Client;

/// <summary>The client actor's book of requests, without an ActorSystem: matching by correlation id, expiry and resends on a given clock.</summary>
public sealed class PendingRequestsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);

    private readonly PendingRequests _pending = new(Timeout, Retry);

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    private static TaskCompletionSource<object> Completion() => new();

    private static SubmitTask Submission(string id) => new("echo", "{}", "alice", SubmissionId: id);

    private static TaskInfo Info(string taskId) =>
        new(taskId, "echo", "alice", 0, TaskState.Queued, 0, null, null, null, 0, 3, DateTimeOffset.UnixEpoch, null, null, null, false, null);

    /// <summary>The scheduler's answer to <paramref name="request"/>: <paramref name="answer"/> under the request's id.</summary>
    private static CorrelatedAnswer To(PendingRequest request, object answer) => new(request.Wire.CorrelationId, answer);

    [Fact]
    public void Every_request_goes_on_the_wire_under_an_id_of_its_own()
    {
        var first = _pending.Add(GetQueues.Instance, Completion(), At(0));
        var second = _pending.Add(GetQueues.Instance, Completion(), At(0));

        Assert.NotEqual(first.Wire.CorrelationId, second.Wire.CorrelationId);
        Assert.Same(GetQueues.Instance, first.Wire.Request);
        // A second book (a restarted client actor) never reuses an id an old answer may still carry.
        var other = new PendingRequests(Timeout, Retry).Add(GetQueues.Instance, Completion(), At(0));
        Assert.DoesNotContain(other.Wire.CorrelationId, new[] { first.Wire.CorrelationId, second.Wire.CorrelationId });
    }

    [Fact]
    public void Answers_find_their_request_by_id_in_any_order()
    {
        var first = _pending.Add(Submission("s1"), Completion(), At(0));
        var second = _pending.Add(Submission("s2"), Completion(), At(0));

        Assert.Same(second, _pending.Answer(To(second, new SubmissionRejected("s2", "no", RejectionCode.InvalidSubmission)), At(1)));
        Assert.Same(first, _pending.Answer(To(first, new SubmissionAccepted("t1", "s1", false)), At(1)));
        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public void Two_requests_of_one_kind_answered_out_of_order_each_get_their_own_answer()
    {
        // Nothing in a view says which request it answers: only the id does.
        var older = _pending.Add(GetQueues.Instance, Completion(), At(0));
        var newer = _pending.Add(GetQueues.Instance, Completion(), At(0));

        Assert.Same(newer, _pending.Answer(To(newer, new QueuesView(2, 0, new Dictionary<int, int>(), [])), At(1)));
        Assert.Same(older, _pending.Answer(To(older, new QueuesView(1, 0, new Dictionary<int, int>(), [])), At(1)));
    }

    [Fact]
    public void A_status_read_and_a_cancel_of_one_task_are_told_apart_whatever_the_answer_says()
    {
        var status = _pending.Add(new GetTaskStatus("t9"), Completion(), At(0));
        var cancel = _pending.Add(new CancelTask("t9"), Completion(), At(0));

        // The same kind of answer for both, newest first.
        Assert.Same(cancel, _pending.Answer(To(cancel, new UnknownTask("t9")), At(1)));
        Assert.Same(status, _pending.Answer(To(status, new UnknownTask("t9")), At(1)));
    }

    [Fact]
    public void An_answer_with_an_unknown_id_matches_nothing_and_leaves_the_book_as_it_was()
    {
        var waiting = _pending.Add(new GetTaskStatus("t1"), Completion(), At(0));

        Assert.Null(_pending.Answer(new CorrelatedAnswer(waiting.Wire.CorrelationId + 1_000_000, Info("t1")), At(1)));
        Assert.Equal(1, _pending.Count);
        Assert.Same(waiting, _pending.Answer(To(waiting, Info("t1")), At(1)));
    }

    [Fact]
    public void Requests_expire_at_their_deadline_oldest_first_and_answered_ones_never()
    {
        var first = _pending.Add(new GetTaskStatus("a"), Completion(), At(0));
        var answered = _pending.Add(new GetTaskStatus("b"), Completion(), At(1));
        var third = _pending.Add(new GetTaskStatus("c"), Completion(), At(2));
        _pending.Answer(To(answered, Info("b")), At(3));

        Assert.Empty(_pending.TakeExpired(At(9.9)));
        Assert.Equal([first], _pending.TakeExpired(At(10)));
        Assert.Equal([third], _pending.TakeExpired(At(30)));
        Assert.Equal(0, _pending.Count);
        // An expired request's late answer finds nobody.
        Assert.Null(_pending.Answer(To(first, Info("a")), At(31)));
    }

    [Fact]
    public void Nothing_is_resent_while_answers_keep_arriving()
    {
        _pending.Add(Submission("slow"), Completion(), At(0));
        var other = _pending.Add(Submission("other"), Completion(), At(0));
        _pending.Answer(To(other, new SubmissionAccepted("t", "other", false)), At(2.5));

        Assert.Empty(_pending.TakeDueForResend(At(4)));
    }

    [Fact]
    public void After_a_retry_interval_of_silence_requests_sent_that_long_ago_are_resent_under_their_id_and_stay_pending()
    {
        var old = _pending.Add(Submission("old"), Completion(), At(0));
        var recent = _pending.Add(Submission("recent"), Completion(), At(1.5));
        var wire = old.Wire;

        var due = _pending.TakeDueForResend(At(2));

        Assert.Equal([old], due);
        Assert.Same(wire, due[0].Wire);
        Assert.Equal((2, At(2)), (old.Sends, old.LastSentAt));
        Assert.Equal(1, recent.Sends);
        Assert.Equal(2, _pending.Count);
        Assert.Empty(_pending.TakeDueForResend(At(3)));
        Assert.Equal([old, recent], _pending.TakeDueForResend(At(4)));
    }

    [Fact]
    public void The_first_answer_to_a_resent_submission_completes_it_and_the_second_is_dropped()
    {
        var request = _pending.Add(Submission("s"), Completion(), At(0));
        _pending.TakeDueForResend(At(2));

        Assert.Same(request, _pending.Answer(To(request, new SubmissionAccepted("t1", "s", false)), At(2.1)));
        Assert.Null(_pending.Answer(To(request, new SubmissionAccepted("t1", "s", true)), At(2.2)));
        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public void A_request_its_caller_abandoned_is_dropped_instead_of_resent_and_its_late_answer_matches_nothing()
    {
        var abandoned = Completion();
        var request = _pending.Add(Submission("gone"), abandoned, At(0));
        abandoned.SetCanceled();

        Assert.Empty(_pending.TakeDueForResend(At(5)));
        Assert.Equal(0, _pending.Count);
        Assert.Null(_pending.Answer(To(request, new SubmissionAccepted("t", "gone", false)), At(6)));
    }

    [Fact]
    public void TakeAll_empties_the_book()
    {
        _pending.Add(Submission("a"), Completion(), At(0));
        var nodes = _pending.Add(GetNodes.Instance, Completion(), At(0));

        Assert.Equal(2, _pending.TakeAll().Count);
        Assert.Equal(0, _pending.Count);
        Assert.Null(_pending.Answer(To(nodes, new NodesView([])), At(1)));
    }

    [Fact]
    public void EverAnswered_turns_true_with_the_first_answer_even_a_stray_one()
    {
        Assert.False(_pending.EverAnswered);
        _pending.Answer(new CorrelatedAnswer(-1, new TaskCancelled("x")), At(1));
        Assert.True(_pending.EverAnswered);
    }
}
