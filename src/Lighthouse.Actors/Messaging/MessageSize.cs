using Lighthouse.Protocol;

namespace Lighthouse.Messaging;

/// <summary>A cheap estimate of a message's encoded size: its big texts (payloads, results, errors) and a fixed allowance for the rest.</summary>
public static class MessageSize
{
    private const int Fixed = 96;

    public static int Estimate(object message) => Fixed + message switch
    {
        SubmitTask m => Length(m.Payload),
        StartTask m => Length(m.Payload),
        ReportSuccess m => Length(m.Result),
        ReportFailure m => Length(m.Error),
        TaskInfo m => Length(m.Result) + Length(m.Error) + Length(m.PendingReason),
        TaskUpdated m => Length(m.Task.Result) + Length(m.Task.Error) + Length(m.Task.PendingReason),
        SubmissionRejected m => Length(m.Reason),
        // A wrapper weighs what it wraps (plus the id): without this, wrapped payloads would overfill a batch.
        CorrelatedRequest m => Estimate(m.Request),
        CorrelatedAnswer m => Estimate(m.Answer),
        _ => 0,
    };

    // UTF-8 takes at most 3 bytes per UTF-16 unit; most JSON is ASCII, where the length is exact.
    private static int Length(string? text) => text is null ? 0 : text.Length;
}
