using Lighthouse.Protocol;

namespace Lighthouse.Client;

// What a LighthouseClient call throws besides argument errors. Each message is one line that names the
// task, the submission or the address, so a command line can print it as is.

/// <summary>The base of every Lighthouse client error.</summary>
public abstract class LighthouseException(string message) : Exception(message);

/// <summary>
/// No answer came within the request timeout (resends included): the host is down or unreachable, or its
/// scheduler does not answer. <see cref="Address"/> names where the client was sending.
/// </summary>
public sealed class LighthouseUnavailableException(string address, string message) : LighthouseException(message)
{
    public string Address { get; } = address;
}

/// <summary>
/// The scheduler refused a submission; <see cref="Reason"/> is its explanation (the field and value it refused),
/// <see cref="Code"/> the kind of refusal (only <see cref="RejectionCode.QueueFull"/> may pass on a retry).
/// </summary>
public sealed class LighthouseRejectedException(string taskName, string? submissionId, string reason, RejectionCode code)
    : LighthouseException($"submission of task \"{taskName}\" was rejected: {reason}")
{
    public RejectionCode Code { get; } = code;

    public string TaskName { get; } = taskName;

    public string? SubmissionId { get; } = submissionId;

    public string Reason { get; } = reason;
}

/// <summary>The scheduler does not know the task id: it never existed, or it finished and its retention ran out.</summary>
public sealed class LighthouseUnknownTaskException(string taskId, string message) : LighthouseException(message)
{
    public string TaskId { get; } = taskId;
}

/// <summary>
/// The scheduler refused the request for who the caller is (a TLS cluster, docs/authorization.md): the certificate's role
/// or users do not allow it (another user's task, a monitor view without admin), or the session could not be opened.
/// <see cref="Reason"/> is the scheduler's explanation, starting with "permission denied" for a refusal by the rules.
/// </summary>
public sealed class LighthousePermissionDeniedException(string reason) : LighthouseException(reason)
{
    public string Reason { get; } = reason;
}

/// <summary>The scheduler refused a change of a concurrency limit; <see cref="Exception.Message"/> names the field and the configuration key.</summary>
public sealed class LighthouseLimitRejectedException(string key, string reason) : LighthouseException(reason)
{
    public string Key { get; } = key;
}
