using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Scheduling;

/// <summary>
/// What each role's certificate may ask of the scheduler, once its holder has a session (docs/authorization.md has the
/// same table with the test for each line):
/// <list type="table">
/// <item><term>host</term><description>everything (it runs the scheduler, its local worker and the web gateway, which act for every user)</description></item>
/// <item><term>admin</term><description>every client request and monitor view, for every user; reading and changing the per-user policies (<see cref="GetUserPolicies"/>, <see cref="SetUserPolicy"/>); no worker protocol</description></item>
/// <item><term>client</term><description>
///   <see cref="SubmitTask"/> and <see cref="ListTasks"/> only for its users; <see cref="GetTaskStatus"/>, <see cref="WatchTask"/>
///   and <see cref="CancelTask"/> only for tasks of its users (an unknown id is answered as unknown); no monitor view (admin only,
///   as on HTTP), no worker protocol</description></item>
/// <item><term>admin only</term><description><see cref="GetConcurrencyLimits"/> and <see cref="SetConcurrencyLimit"/>: a client is refused</description></item>
/// <item><term>worker</term><description><see cref="RegisterWorker"/> only with the node name in its certificate; nothing of the client protocol</description></item>
/// </list>
/// A worker's reports are not in the table: they go to its node's link, which takes them only in the session that
/// registered the node. Anything else in a session is refused.
/// </summary>
internal static class Authorization
{
    /// <summary>
    /// Why <paramref name="who"/> may not send <paramref name="request"/> (a plain message, a correlated request's inner one),
    /// starting with "permission denied"; null when it may. <paramref name="ownerOf"/> gives the user of a known task id.
    /// </summary>
    public static string? Refusal(CertificateIdentity who, object request, Func<string, string?> ownerOf)
    {
        if (who.Role == LighthouseRole.Host) return null;
        return (who.Role, request) switch
        {
            (LighthouseRole.Admin or LighthouseRole.Client, SubmitTask submit) => ForUser(who, submit.UserId, "submit tasks"),
            (LighthouseRole.Admin or LighthouseRole.Client, ListTasks list) => ForUser(who, list.UserId, "list tasks"),
            (LighthouseRole.Admin or LighthouseRole.Client, GetTaskStatus get) => ForTask(who, get.TaskId, ownerOf),
            (LighthouseRole.Admin or LighthouseRole.Client, WatchTask watch) => ForTask(who, watch.TaskId, ownerOf),
            (LighthouseRole.Admin or LighthouseRole.Client, CancelTask cancel) => ForTask(who, cancel.TaskId, ownerOf),
            (LighthouseRole.Admin, GetNodes or GetQueues or GetStatistics or GetHistory) => null,
            (LighthouseRole.Client, GetNodes or GetQueues or GetStatistics or GetHistory) =>
                $"permission denied: {who} may not read the cluster's {ViewName(request)} (admin only)",
            (LighthouseRole.Admin, GetConcurrencyLimits or SetConcurrencyLimit) => null,
            (LighthouseRole.Client, GetConcurrencyLimits) => $"permission denied: {who} may not read the cluster's concurrency limits (admin only)",
            (LighthouseRole.Client, SetConcurrencyLimit) => $"permission denied: {who} may not change concurrency limits (admin only)",
            (LighthouseRole.Admin, GetUserPolicies or SetUserPolicy) => null,
            (LighthouseRole.Client, GetUserPolicies or SetUserPolicy) =>
                $"permission denied: {who} may not read or change the per-user weights and quotas (admin only)",
            (LighthouseRole.Worker, RegisterWorker register) => register.Node == who.Name
                ? null
                : $"permission denied: {who} may register only worker node \"{who.Name}\", not \"{register.Node}\"",
            _ => $"permission denied: {who} may not send {request.GetType().Name} to the scheduler",
        };
    }

    private static string? ForUser(CertificateIdentity who, string? user, string what) =>
        user is not null && who.MayActFor(user) ? null : $"permission denied: {who} may not {what} for user \"{user}\"";

    // A task the scheduler does not know passes, to be answered "unknown task" as to anyone: no user to check it against.
    private static string? ForTask(CertificateIdentity who, string? taskId, Func<string, string?> ownerOf) =>
        taskId is null || ownerOf(taskId) is not { } owner || who.MayActFor(owner)
            ? null
            : $"permission denied: task {taskId} belongs to another user; {who} may not read, watch or cancel it";

    private static string ViewName(object request) => request switch
    {
        GetNodes => "nodes",
        GetQueues => "queues",
        GetStatistics => "statistics",
        _ => "history",
    };
}
