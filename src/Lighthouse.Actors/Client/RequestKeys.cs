using Lighthouse.Protocol;

namespace Lighthouse.Client;

/// <summary>The client requests, as flags so that an answer can name every kind of request it may answer.</summary>
[Flags]
internal enum RequestKind
{
    None = 0,
    Submit = 1,
    Status = 2,
    Cancel = 4,
    List = 8,
    Nodes = 16,
    Queues = 32,
    Statistics = 64,
    History = 128,
}

/// <summary>What a request and its answer have in common: the conversation and the id both carry.</summary>
internal readonly record struct AnswerKey(string Conversation, string Id);

/// <summary>
/// How answers find their requests. The scheduler's answers carry no request id, but each one carries what
/// identifies its request: a submission id, a task id, a user id, or (for the views) only its type. Requests of
/// one key are answered in the order they were sent, because Akka keeps the order of messages between two actors
/// and the scheduler answers every request at once; so an answer goes to the oldest request of its key that it can
/// answer.
/// </summary>
internal static class RequestKeys
{
    private const string Submission = "submission";
    private const string Task = "task";
    private const string User = "user";
    private const string View = "view";

    /// <summary>The key and kind of a request; throws <see cref="ArgumentException"/> for anything that is not a client request.</summary>
    public static (AnswerKey Key, RequestKind Kind) OfRequest(object request) => request switch
    {
        SubmitTask { SubmissionId: { } id } => (new(Submission, id), RequestKind.Submit),
        SubmitTask => throw new ArgumentException("a submission needs a submission id to be matched with its answer", nameof(request)),
        GetTaskStatus get => (new(Task, get.TaskId), RequestKind.Status),
        // Answered like a status read; the pushes that follow are no answers (TaskUpdated).
        WatchTask watch => (new(Task, watch.TaskId), RequestKind.Status),
        CancelTask cancel => (new(Task, cancel.TaskId), RequestKind.Cancel),
        ListTasks list => (new(User, list.UserId), RequestKind.List),
        GetNodes => (new(View, nameof(GetNodes)), RequestKind.Nodes),
        GetQueues => (new(View, nameof(GetQueues)), RequestKind.Queues),
        GetStatistics => (new(View, nameof(GetStatistics)), RequestKind.Statistics),
        GetHistory => (new(View, nameof(GetHistory)), RequestKind.History),
        _ => throw new ArgumentException($"{request.GetType().Name} is not a request a Lighthouse client sends", nameof(request)),
    };

    /// <summary>The key of an answer and the kinds of request it can answer; null when the message is no answer.</summary>
    public static (AnswerKey Key, RequestKind Answers)? OfAnswer(object answer) => answer switch
    {
        SubmissionAccepted { SubmissionId: { } id } => (new(Submission, id), RequestKind.Submit),
        SubmissionRejected { SubmissionId: { } id } => (new(Submission, id), RequestKind.Submit),
        TaskInfo info => (new(Task, info.TaskId), RequestKind.Status),
        UnknownTask unknown => (new(Task, unknown.TaskId), RequestKind.Status | RequestKind.Cancel),
        TaskCancelled cancelled => (new(Task, cancelled.TaskId), RequestKind.Cancel),
        CancelPending pending => (new(Task, pending.TaskId), RequestKind.Cancel),
        TaskAlreadyFinished finished => (new(Task, finished.TaskId), RequestKind.Cancel),
        TaskList list => (new(User, list.UserId), RequestKind.List),
        NodesView => (new(View, nameof(GetNodes)), RequestKind.Nodes),
        QueuesView => (new(View, nameof(GetQueues)), RequestKind.Queues),
        StatisticsView => (new(View, nameof(GetStatistics)), RequestKind.Statistics),
        HistoryView => (new(View, nameof(GetHistory)), RequestKind.History),
        _ => null,
    };
}
