using Akka.Actor;
using Lighthouse.Protocol;

namespace Lighthouse.Client;

/// <summary>
/// Sends tasks to a Lighthouse scheduler and follows them. Every call has a timeout (<see cref="LighthouseClientOptions.RequestTimeout"/>)
/// and is resent on its own when the scheduler goes silent; a submission is never queued twice, because it carries a
/// client-generated submission id that a resend repeats and the scheduler de-duplicates on. Calls may be made from many
/// threads at once and pipelined freely: calls made together travel to the scheduler in one batch. Waiting for a
/// task's end (<see cref="WaitAsync"/>, <see cref="RunAsync(SubmitTask, IProgress{TaskInfo}?, CancellationToken)"/>)
/// costs no polling: the scheduler pushes the end to the client.
/// <para>
/// <see cref="ConnectAsync(string, LighthouseClientOptions?, CancellationToken)"/> reaches a host from outside its cluster;
/// <see cref="Create"/> wraps a scheduler (or its singleton proxy) in the caller's own ActorSystem; <see cref="Over"/>
/// wraps a <see cref="SchedulerClientActor"/> registered by <c>WithLighthouseClient</c>.
/// </para>
/// </summary>
public sealed class LighthouseClient : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly IActorRef _actor;
    private readonly Func<Task>? _release;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private LighthouseClient(IActorRef actor, Func<Task>? release)
    {
        _actor = actor;
        _release = release;
    }

    /// <summary>The <see cref="SchedulerClientActor"/> this client sends through.</summary>
    public IActorRef Actor => _actor;

    /// <summary>
    /// Connects to the Lighthouse host at <paramref name="host"/> (<c>HOST:PORT</c>, see <see cref="LighthouseContacts.Parse"/>)
    /// through a small ActorSystem of the client's own, which disposing the client terminates. Returns once the host's
    /// scheduler has answered; throws <see cref="LighthouseUnavailableException"/> naming the address when it does not
    /// within the request timeout, and <see cref="FormatException"/> for an address that cannot be parsed.
    /// </summary>
    public static Task<LighthouseClient> ConnectAsync(string host, LighthouseClientOptions? options = null, CancellationToken cancellationToken = default) =>
        ConnectAsync([host], options, cancellationToken);

    /// <summary>As <see cref="ConnectAsync(string, LighthouseClientOptions?, CancellationToken)"/>, with several hosts of one cluster as initial contacts.</summary>
    public static async Task<LighthouseClient> ConnectAsync(IEnumerable<string> hosts, LighthouseClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var validated = (options ?? LighthouseClientOptions.Default).Validated();
        var contacts = hosts.Select(host => LighthouseContacts.Parse(host, validated.Tls is not null)).ToArray();
        if (contacts.Length == 0) throw new ArgumentException("no Lighthouse host to connect to", nameof(hosts));

        var system = ClientActorSystem.Start(validated);
        var actor = system.ActorOf(SchedulerClientActor.PropsForHost(contacts, validated), "scheduler-client");
        var client = new LighthouseClient(actor, async () =>
        {
            // The actor first, so that requests already sent to it fail as disposed instead of dying with the system.
            await StopActor(actor).ConfigureAwait(false);
            await system.Terminate().WaitAsync(StopTimeout).ConfigureAwait(false);
        });
        if (!validated.CheckOnConnect) return client;
        try
        {
            // The cheapest read the scheduler answers: proves the host, its receptionist and the scheduler are there.
            // A client certificate may not read the queues (admin only): that refusal is an answer too, given in an open session.
            try
            {
                await client.GetQueuesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (LighthousePermissionDeniedException denied) when (denied.Reason.StartsWith("permission denied", StringComparison.Ordinal))
            {
            }
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A client of <paramref name="schedulerOrProxy"/> (the scheduler actor, or a singleton proxy to it) in
    /// <paramref name="system"/>. Disposing the client stops its actor and leaves the system running.
    /// </summary>
    public static LighthouseClient Create(ActorSystem system, IActorRef schedulerOrProxy, LighthouseClientOptions? options = null)
    {
        var actor = system.ActorOf(SchedulerClientActor.PropsFor(schedulerOrProxy, options));
        return new LighthouseClient(actor, () => StopActor(actor));
    }

    /// <summary>A client over an existing <see cref="SchedulerClientActor"/>, which it does not own: disposing it leaves the actor running.</summary>
    public static LighthouseClient Over(IActorRef schedulerClientActor) => new(schedulerClientActor, null);

    /// <summary>A fresh submission id: what makes a resent submission recognisable to the scheduler.</summary>
    public static string NewSubmissionId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Submits a task and returns its id. A submission without a submission id gets a new one; a caller that retries
    /// on its own should set one, so that its retries answer the original task id. Throws
    /// <see cref="LighthouseRejectedException"/> with the scheduler's reason when the task is refused.
    /// </summary>
    public async Task<string> SubmitAsync(SubmitTask submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var identified = submission.SubmissionId is null ? submission with { SubmissionId = NewSubmissionId() } : submission;
        return await RequestAsync(identified, cancellationToken).ConfigureAwait(false) switch
        {
            SubmissionAccepted accepted => accepted.TaskId,
            SubmissionRejected rejected => throw new LighthouseRejectedException(identified.TaskName, identified.SubmissionId, rejected.Reason, rejected.Code),
            var other => throw Unexpected(identified, other),
        };
    }

    /// <summary>Submits task <paramref name="taskName"/> with a JSON <paramref name="payload"/> for <paramref name="userId"/>; see <see cref="SubmitAsync(SubmitTask, CancellationToken)"/>.</summary>
    public Task<string> SubmitAsync(string taskName, string payload, string userId, int priority = 0, CancellationToken cancellationToken = default) =>
        SubmitAsync(new SubmitTask(taskName, payload, userId, priority), cancellationToken);

    /// <summary>The task's status; throws <see cref="LighthouseUnknownTaskException"/> when the scheduler does not know the id.</summary>
    public async Task<TaskInfo> GetAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var request = new GetTaskStatus(taskId);
        return await RequestAsync(request, cancellationToken).ConfigureAwait(false) switch
        {
            TaskInfo info => info,
            UnknownTask unknown => throw new LighthouseUnknownTaskException(unknown.TaskId, unknown.Message),
            var other => throw Unexpected(request, other),
        };
    }

    /// <summary>Cancels the task; throws <see cref="LighthouseUnknownTaskException"/> when the scheduler does not know the id.</summary>
    public async Task<CancelResult> CancelAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var request = new CancelTask(taskId);
        return await RequestAsync(request, cancellationToken).ConfigureAwait(false) switch
        {
            TaskCancelled cancelled => new CancelResult(cancelled.TaskId, CancelOutcome.Cancelled),
            CancelPending pending => new CancelResult(pending.TaskId, CancelOutcome.Pending, Node: pending.Node),
            TaskAlreadyFinished finished => new CancelResult(finished.TaskId, CancelOutcome.AlreadyFinished, FinishedState: finished.State),
            UnknownTask unknown => throw new LighthouseUnknownTaskException(unknown.TaskId, unknown.Message),
            var other => throw Unexpected(request, other),
        };
    }

    /// <summary>
    /// Submits a task and waits for its end, returning its final status whatever the final state (check
    /// <see cref="TaskInfo.State"/>): <see cref="SubmitAsync(SubmitTask, CancellationToken)"/> and
    /// <see cref="WaitAsync"/> in one, cheaper, because the scheduler tells this client the task's end without being
    /// asked (the submission is sent with <see cref="SubmitTask.Watch"/>). With <paramref name="progress"/> the task's
    /// changes are reported too, as by <see cref="WaitAsync"/>. The submission has the request timeout and throws
    /// <see cref="LighthouseRejectedException"/> when refused; the wait lasts until the task finishes or
    /// <paramref name="cancellationToken"/> is cancelled, which ends the call but leaves the task submitted.
    /// </summary>
    public async Task<TaskInfo> RunAsync(SubmitTask submission, IProgress<TaskInfo>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var watched = submission with { SubmissionId = submission.SubmissionId ?? NewSubmissionId(), Watch = true };
        var completion = NewCompletion();
        return await CallAsync(new ClientRun(watched, progress, completion), cancellationToken).ConfigureAwait(false) switch
        {
            TaskInfo finished => finished,
            SubmissionRejected rejected => throw new LighthouseRejectedException(watched.TaskName, watched.SubmissionId, rejected.Reason, rejected.Code),
            UnknownTask unknown => throw new LighthouseUnknownTaskException(unknown.TaskId, unknown.Message),
            var other => throw Unexpected(nameof(SubmitTask), other),
        };
    }

    /// <summary>Runs task <paramref name="taskName"/> with a JSON <paramref name="payload"/> for <paramref name="userId"/>; see <see cref="RunAsync(SubmitTask, IProgress{TaskInfo}?, CancellationToken)"/>.</summary>
    public Task<TaskInfo> RunAsync(string taskName, string payload, string userId, int priority = 0, IProgress<TaskInfo>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(new SubmitTask(taskName, payload, userId, priority), progress, cancellationToken);

    /// <summary>
    /// Waits until the task has finished and returns its final status, whatever the final state (check
    /// <see cref="TaskInfo.State"/>); throws <see cref="LighthouseUnknownTaskException"/> when the scheduler does not
    /// know the id. The scheduler tells this client the task's end (and, with <paramref name="progress"/>, its
    /// changes, each reported there) instead of being polled; when nothing has been heard of the task for
    /// <see cref="LighthouseClientOptions.WatchRefreshInterval"/> the client asks again. Each ask has the request
    /// timeout; the wait as a whole lasts until the task finishes or <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<TaskInfo> WaitAsync(string taskId, IProgress<TaskInfo>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        var completion = NewCompletion();
        return await CallAsync(new ClientWait(taskId, progress, completion), cancellationToken).ConfigureAwait(false) switch
        {
            TaskInfo finished => finished,
            UnknownTask unknown => throw new LighthouseUnknownTaskException(unknown.TaskId, unknown.Message),
            var other => throw Unexpected(nameof(WatchTask), other),
        };
    }

    /// <summary>Every task the scheduler still knows of <paramref name="userId"/>, in submission order.</summary>
    public async Task<IReadOnlyList<TaskInfo>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        (await RequestAsync<TaskList>(new ListTasks(userId), cancellationToken).ConfigureAwait(false)).Tasks;

    /// <summary>The registered worker nodes.</summary>
    public Task<NodesView> GetNodesAsync(CancellationToken cancellationToken = default) => RequestAsync<NodesView>(GetNodes.Instance, cancellationToken);

    /// <summary>Queue depths in total and per priority, and the first <see cref="GetQueues.DefaultLimit"/> users, busiest first.</summary>
    public Task<QueuesView> GetQueuesAsync(CancellationToken cancellationToken = default) =>
        // The unpaged request ("GQ"), which schedulers older than paging answer too: the connect check sends this, so
        // a new client can still connect to an older host during a rolling upgrade.
        RequestAsync<QueuesView>(GetQueues.Instance, cancellationToken);

    /// <summary>
    /// Queue depths in total and per priority, and <paramref name="limit"/> users (at most <see cref="GetQueues.MaxLimit"/>)
    /// from <paramref name="offset"/> in busiest-first order, with the total of users and the blocked count. Needs a scheduler
    /// that pages (issue 13); an older one does not answer.
    /// </summary>
    public Task<QueuesView> GetQueuesAsync(int offset, int limit, CancellationToken cancellationToken = default)
    {
        if (GetQueues.Problem(offset, limit) is { } problem) throw new ArgumentOutOfRangeException(offset < 0 ? nameof(offset) : nameof(limit), problem);
        return RequestAsync<QueuesView>(new GetQueues(offset, limit), cancellationToken);
    }

    /// <summary>Statistics of finished tasks per task name.</summary>
    public Task<StatisticsView> GetStatisticsAsync(CancellationToken cancellationToken = default) => RequestAsync<StatisticsView>(GetStatistics.Instance, cancellationToken);

    /// <summary>The recent throughput history.</summary>
    public Task<HistoryView> GetHistoryAsync(CancellationToken cancellationToken = default) => RequestAsync<HistoryView>(GetHistory.Instance, cancellationToken);

    /// <summary>Every concurrency key's limit and use (admin only: a client certificate gets <see cref="LighthousePermissionDeniedException"/>).</summary>
    public Task<ConcurrencyLimitsView> GetConcurrencyLimitsAsync(CancellationToken cancellationToken = default) =>
        RequestAsync<ConcurrencyLimitsView>(GetConcurrencyLimits.Instance, cancellationToken);

    /// <summary>
    /// Sets the runtime limit of concurrency key <paramref name="key"/> (0 or more), or removes it (null: the configured limit
    /// applies again); returns the key as it is once the change is journaled. Admin only. Throws
    /// <see cref="LighthouseLimitRejectedException"/> for a bad key or limit.
    /// </summary>
    public async Task<ConcurrencyKeyView> SetConcurrencyLimitAsync(string key, int? limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var request = new SetConcurrencyLimit(key, limit);
        return await RequestAsync(request, cancellationToken).ConfigureAwait(false) switch
        {
            ConcurrencyLimitSet set => set.Key,
            ConcurrencyLimitRejected rejected => throw new LighthouseLimitRejectedException(rejected.Key, rejected.Reason),
            var other => throw Unexpected(request, other),
        };
    }

    /// <summary>The per-user weights and quotas (docs/task-policies.md, "Per user"): the defaults and every user with its own. Admin only.</summary>
    public Task<UserPoliciesView> GetUserPoliciesAsync(CancellationToken cancellationToken = default) =>
        RequestAsync<UserPoliciesView>(GetUserPolicies.Instance, cancellationToken);

    /// <summary>
    /// Changes a user's weight and/or quota at runtime (journaled) and returns the policy that now applies. Admin only. Throws
    /// <see cref="LighthouseUserPolicyRejectedException"/> naming the field when a value is out of its rules.
    /// </summary>
    public async Task<UserPolicyView> SetUserPolicyAsync(SetUserPolicy change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var answer = await RequestAsync(change, cancellationToken).ConfigureAwait(false);
        return answer switch
        {
            UserPolicySet set => set.User,
            UserPolicyRejected rejected => throw new LighthouseUserPolicyRejectedException(rejected.UserId, rejected.Reason),
            _ => throw Unexpected(change, answer),
        };
    }

    /// <summary>
    /// Stops what the client owns: its ActorSystem (<see cref="ConnectAsync(string, LighthouseClientOptions?, CancellationToken)"/>)
    /// or its actor (<see cref="Create"/>); a client made by <see cref="Over"/> owns nothing. Requests still pending
    /// fail with <see cref="ObjectDisposedException"/>, and so does every later call.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            if (_release is not null) await _release().ConfigureAwait(false);
        }
        catch (Exception stopping) when (stopping is TimeoutException or OperationCanceledException or AskTimeoutException)
        {
            // The actor or system is stopping and will finish on its own; disposing must not hang or throw for it.
        }
        finally
        {
            _released.TrySetResult();
        }
    }

    // A graceful stop is an ordinary message: every request sent before it is taken into the actor's book first,
    // and the actor's PostStop fails what the book still holds.
    private static async Task StopActor(IActorRef actor) => await actor.GracefulStop(StopTimeout).ConfigureAwait(false);

    private async Task<T> RequestAsync<T>(object request, CancellationToken cancellationToken) where T : class
    {
        var answer = await RequestAsync(request, cancellationToken).ConfigureAwait(false);
        return answer as T ?? throw Unexpected(request, answer);
    }

    private Task<object> RequestAsync(object request, CancellationToken cancellationToken) =>
        CallAsync(new ClientRequest(request, NewCompletion()), cancellationToken);

    // Continuations run off the actor's thread: a caller's slow code must never stall the answers of others.
    private static TaskCompletionSource<object> NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<object> CallAsync(ClientCall call, CancellationToken cancellationToken)
    {
        var completion = call.Completion;
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        // Cancelling completes the call itself, so the actor stops resending it too.
        await using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static (state, token) => ((TaskCompletionSource<object>)state!).TrySetCanceled(token), completion)
            : default;
        _actor.Tell(call);
        // Disposed while this call was being sent: it may have reached the actor after its stop. Once the stop
        // is done, whatever the actor did not complete never will be, so it fails as disposed rather than hanging.
        if (Volatile.Read(ref _disposed) != 0) _ = FailOnceReleased(completion);
        return await completion.Task.ConfigureAwait(false);
    }

    private async Task FailOnceReleased(TaskCompletionSource<object> completion)
    {
        await _released.Task.ConfigureAwait(false);
        completion.TrySetException(new ObjectDisposedException(nameof(LighthouseClient), "the Lighthouse client was disposed while the request was being sent"));
    }

    private static InvalidOperationException Unexpected(object request, object answer) => Unexpected(request.GetType().Name, answer);

    private static InvalidOperationException Unexpected(string request, object answer) =>
        new($"the scheduler answered {request} with {answer.GetType().Name}");
}
