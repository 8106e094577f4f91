namespace Lighthouse.Protocol;

// How a client that keeps many requests in flight tells their answers apart. Answers carry no request id of their
// own, and matching them by content (a submission id, a task id, or only a type for the views) needed per-kind
// rules and broke down for two requests of one kind; an id chosen by the client and repeated by the scheduler
// makes the match a dictionary look-up. A wrapper, rather than an id field in every request and answer, leaves
// the plain messages (what the web API and Ask-based callers send and receive) exactly as they were.

/// <summary>
/// A client request (<see cref="SubmitTask"/>, <see cref="GetTaskStatus"/>, <see cref="WatchTask"/>, <see cref="CancelTask"/>,
/// <see cref="ListTasks"/> or a monitor view request) tagged with <paramref name="CorrelationId"/>. The scheduler handles
/// <paramref name="Request"/> as if it had come alone and answers with a <see cref="CorrelatedAnswer"/> of the same id;
/// pushes it sends later (<see cref="TaskUpdated"/>) are not answers and stay unwrapped. A resend repeats the id.
/// </summary>
public sealed record CorrelatedRequest(long CorrelationId, object Request);

/// <summary>The scheduler's answer to the <see cref="CorrelatedRequest"/> of <paramref name="CorrelationId"/>.</summary>
public sealed record CorrelatedAnswer(long CorrelationId, object Answer);
