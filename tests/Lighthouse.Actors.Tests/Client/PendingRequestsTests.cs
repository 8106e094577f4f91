using Lighthouse.Client;
using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Client;

/// <summary>The client actor's book of requests, without an ActorSystem: matching, expiry and resends on a given clock.</summary>
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

    [Fact]
    public void Answers_to_submissions_find_their_request_by_submission_id_in_any_order()
    {
        var first = _pending.Add(Submission("s1"), Completion(), At(0));
        var second = _pending.Add(Submission("s2"), Completion(), At(0));

        Assert.Same(second, _pending.Answer(new SubmissionRejected("s2", "no", RejectionCode.InvalidSubmission), At(1)));
        Assert.Same(first, _pending.Answer(new SubmissionAccepted("t1", "s1", false), At(1)));
        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public void A_status_answer_and_a_cancel_answer_of_one_task_go_to_their_own_kind_of_request()
    {
        var cancel = _pending.Add(new CancelTask("t1"), Completion(), At(0));
        var status = _pending.Add(new GetTaskStatus("t1"), Completion(), At(0));

        Assert.Same(status, _pending.Answer(Info("t1"), At(1)));
        Assert.Same(cancel, _pending.Answer(new TaskCancelled("t1"), At(1)));
    }

    [Fact]
    public void UnknownTask_answers_the_oldest_request_of_its_task_whichever_kind_it_is()
    {
        var status = _pending.Add(new GetTaskStatus("t9"), Completion(), At(0));
        var cancel = _pending.Add(new CancelTask("t9"), Completion(), At(0));

        Assert.Same(status, _pending.Answer(new UnknownTask("t9"), At(1)));
        Assert.Same(cancel, _pending.Answer(new UnknownTask("t9"), At(1)));
    }

    [Fact]
    public void Requests_of_one_key_are_answered_in_the_order_they_were_sent()
    {
        var older = _pending.Add(GetQueues.Instance, Completion(), At(0));
        var newer = _pending.Add(GetQueues.Instance, Completion(), At(0));
        var view = new QueuesView(0, 0, new Dictionary<int, int>(), []);

        Assert.Same(older, _pending.Answer(view, At(1)));
        Assert.Same(newer, _pending.Answer(view, At(1)));
    }

    [Fact]
    public void An_answer_nobody_waits_for_and_a_message_that_is_no_answer_match_nothing()
    {
        var waiting = _pending.Add(new GetTaskStatus("t1"), Completion(), At(0));

        Assert.Null(_pending.Answer(new SubmissionAccepted("t2", "unknown", false), At(1)));
        Assert.Null(_pending.Answer(new TaskCancelled("t1"), At(1)));
        Assert.Null(_pending.Answer("hello", At(1)));
        Assert.Equal(1, _pending.Count);
        Assert.Same(waiting, _pending.Answer(Info("t1"), At(1)));
    }

    [Fact]
    public void Requests_expire_at_their_deadline_oldest_first_and_answered_ones_never()
    {
        var first = _pending.Add(new GetTaskStatus("a"), Completion(), At(0));
        var answered = _pending.Add(new GetTaskStatus("b"), Completion(), At(1));
        var third = _pending.Add(new GetTaskStatus("c"), Completion(), At(2));
        _pending.Answer(Info("b"), At(3));

        Assert.Empty(_pending.TakeExpired(At(9.9)));
        Assert.Equal([first], _pending.TakeExpired(At(10)));
        Assert.Equal([third], _pending.TakeExpired(At(30)));
        Assert.Equal(0, _pending.Count);
        Assert.NotSame(answered, first);
        // An expired request's late answer finds nobody.
        Assert.Null(_pending.Answer(Info("a"), At(31)));
    }

    [Fact]
    public void Nothing_is_resent_while_answers_keep_arriving()
    {
        _pending.Add(Submission("slow"), Completion(), At(0));
        _pending.Add(Submission("other"), Completion(), At(0));
        _pending.Answer(new SubmissionAccepted("t", "other", false), At(2.5));

        Assert.Empty(_pending.TakeDueForResend(At(4)));
    }

    [Fact]
    public void After_a_retry_interval_of_silence_requests_sent_that_long_ago_are_resent_and_stay_pending()
    {
        var old = _pending.Add(Submission("old"), Completion(), At(0));
        var recent = _pending.Add(Submission("recent"), Completion(), At(1.5));

        var due = _pending.TakeDueForResend(At(2));

        Assert.Equal([old], due);
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

        Assert.Same(request, _pending.Answer(new SubmissionAccepted("t1", "s", false), At(2.1)));
        Assert.Null(_pending.Answer(new SubmissionAccepted("t1", "s", true), At(2.2)));
    }

    [Fact]
    public void A_request_its_caller_abandoned_is_dropped_instead_of_resent()
    {
        var abandoned = Completion();
        _pending.Add(Submission("gone"), abandoned, At(0));
        abandoned.SetCanceled();

        Assert.Empty(_pending.TakeDueForResend(At(5)));
        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public void TakeAll_empties_the_book()
    {
        _pending.Add(Submission("a"), Completion(), At(0));
        _pending.Add(GetNodes.Instance, Completion(), At(0));

        Assert.Equal(2, _pending.TakeAll().Count);
        Assert.Equal(0, _pending.Count);
        Assert.Null(_pending.Answer(new NodesView([]), At(1)));
    }

    [Fact]
    public void EverAnswered_turns_true_with_the_first_answer_even_a_stray_one()
    {
        Assert.False(_pending.EverAnswered);
        _pending.Answer(new TaskCancelled("x"), At(1));
        Assert.True(_pending.EverAnswered);
    }

    [Fact]
    public void A_submission_without_a_submission_id_or_a_foreign_message_is_refused_by_name()
    {
        var noId = Assert.Throws<ArgumentException>(() => _pending.Add(new SubmitTask("echo", "{}", "alice"), Completion(), At(0)));
        var foreign = Assert.Throws<ArgumentException>(() => _pending.Add(new ReportProgress("t", 1), Completion(), At(0)));

        Assert.Contains("submission id", noId.Message);
        Assert.Contains("ReportProgress", foreign.Message);
        Assert.Equal(0, _pending.Count);
    }
}
