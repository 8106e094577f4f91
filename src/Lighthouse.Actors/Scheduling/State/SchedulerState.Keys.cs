using System.Globalization;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// Concurrency keys (concurrency_key, docs/task-policies.md): a task joins its user's queue only with a slot of its key.
internal sealed partial class SchedulerState
{
    /// <summary>Null when the submission's key may be used; else the refusal, naming the field and the configuration key.</summary>
    private string? ConcurrencyKeyProblem(SubmitTask submission)
    {
        if (submission.ConcurrencyKey is not { } key) return null;
        if (NameRules.ConcurrencyKeyProblem(key, "concurrency_key", Settings.MaxNameLength) is { } name) return name;
        return _keys.Knows(key) ? null : TooManyKeys(key);
    }

    private string? TooManyKeys(string key) =>
        _keys.Count >= Settings.MaxConcurrencyKeys
            ? $"concurrency_key: \"{key}\" would be a new key, but the scheduler already tracks {_keys.Count.ToString(CultureInfo.InvariantCulture)} keys, the limit (lighthouse.scheduler.max-concurrency-keys); use a key in use or a configured one"
            : null;

    /// <summary>A task free to queue joins its user's queue, with a slot of its key when it has one; else it waits for the key.</summary>
    private void Enqueue(TaskRecord task)
    {
        if (task.ConcurrencyKey is not null && !task.HoldsKeySlot && !_keys.TryTake(task)) return;
        _queues.Enqueue(task);
    }

    /// <summary>A task with a key starts: a holder counts as running; a waiter (only a replay under a lower configured limit meets one) is made a holder first.</summary>
    private void KeyStarting(TaskRecord task)
    {
        if (!task.WaitsForKey) return;
        // The start happened (it is in the journal): it counts, even over the limit, and queued holders give way (Settle).
        _keys.Hold(task);
        _queues.Enqueue(task);
    }

    /// <summary>A task gives its key's slot up (it ended or waits to retry): waiters the key has room for join their queues.</summary>
    private void ReleaseKeySlot(TaskRecord task)
    {
        if (task.HoldsKeySlot) Settle(_keys.Release(task));
    }

    /// <summary>
    /// Brings a key within its limit: over it, queued holders go back to the head of its list (latest first; running ones keep
    /// running); under it, waiters join their queues, first in first out.
    /// </summary>
    private void Settle(ConcurrencyKey key)
    {
        foreach (var task in _keys.Excess(key))
        {
            _queues.Dequeue(task, started: false);
            _keys.ReturnToWait(task);
        }
        foreach (var task in _keys.Admit(key)) _queues.Enqueue(task);
        _keys.ForgetIfIdle(key);
    }

    private void ApplyLimitChanged(ConcurrencyLimitChanged e) => Settle(_keys.SetRuntimeLimit(e.Key, e.Limit));

    /// <summary>An admin's change of a key's runtime limit: refused with a reason naming the field and configuration key, or the event.</summary>
    public Decision DecideConcurrencyLimit(SetConcurrencyLimit request, DateTimeOffset now)
    {
        var key = request.Key;
        if (NameRules.ConcurrencyKeyProblem(key, "key", Settings.MaxNameLength) is { } name)
            return Decision.Answer(new ConcurrencyLimitRejected(key ?? "", name));
        if (request.Limit is { } limit && (limit < 0 || limit > Settings.MaxConcurrencyLimit))
            return Decision.Answer(new ConcurrencyLimitRejected(key, $"limit {limit.ToString(CultureInfo.InvariantCulture)} is invalid: it must be between 0 and {Settings.MaxConcurrencyLimit.ToString(CultureInfo.InvariantCulture)} (lighthouse.scheduler.max-concurrency-limit), or null to remove the runtime limit"));
        if (request.Limit is not null && !_keys.Knows(key) && TooManyKeys(key) is { } tooMany)
            return Decision.Answer(new ConcurrencyLimitRejected(key, tooMany.Replace("concurrency_key: ", "key: ", StringComparison.Ordinal)));
        // No answer here: the actor answers with the key as it is once the event is applied (KeyView).
        return new Decision([new ConcurrencyLimitChanged(key, request.Limit, now)]);
    }

    /// <summary>Every key with an entry, in key order.</summary>
    public ConcurrencyLimitsView LimitsView() => new(
        _keys.All.OrderBy(k => k.Name, StringComparer.Ordinal).Select(KeyView).ToList(),
        _keys.DefaultLimit,
        _keys.Waits);

    /// <summary>One key as the views show it; a key without an entry (forgotten, idle) shows its limit and nothing in use.</summary>
    public ConcurrencyKeyView KeyView(string key) =>
        _keys.Find(key) is { } entry ? KeyView(entry) : new ConcurrencyKeyView(key, _keys.DefaultLimit, null, null, 0, 0, 0);

    private static ConcurrencyKeyView KeyView(ConcurrencyKey key) =>
        new(key.Name, key.Limit, key.Configured, key.RuntimeLimit, key.Running, key.Holders.Count - key.Running, key.Waiting.Count);

    /// <summary>"waiting for concurrency key db (2 of 2 running)", with the queued holders when there are any.</summary>
    private string KeyReason(TaskRecord task)
    {
        var key = _keys.Find(task.ConcurrencyKey!)!;
        var limit = key.Limit?.ToString(CultureInfo.InvariantCulture) ?? "no limit";
        var queued = key.Holders.Count - key.Running;
        var running = key.Running.ToString(CultureInfo.InvariantCulture);
        return key.Limit == 0
            ? $"waiting for concurrency key {key.Name} (its limit is 0: the key is paused; {running} running)"
            : $"waiting for concurrency key {key.Name} ({running} of {limit} running{(queued > 0 ? $", {queued.ToString(CultureInfo.InvariantCulture)} more queued to start" : "")})";
    }

    /// <summary>
    /// The keys of a restored state: the runtime limits and the waiters in their order, then each key settled under the limits
    /// in force now (the configuration may have changed since the snapshot: a lower limit sends queued holders back to wait).
    /// </summary>
    private void RestoreKeys(SchedulerImage image)
    {
        foreach (var limit in image.KeyLimits ?? [])
        {
            if (limit.Limit < 0) throw new InvalidOperationException($"the scheduler snapshot is inconsistent: concurrency key {limit.Key} has limit {limit.Limit}");
            _keys.SetRuntimeLimit(limit.Key, limit.Limit);
        }
        foreach (var id in image.KeyWaiters ?? [])
        {
            var task = _tasks.Find(id);
            if (task is not { State: TaskState.Queued, ConcurrencyKey: not null } || task.IsParked || task.HoldsKeySlot)
                throw new InvalidOperationException($"the scheduler snapshot is inconsistent: task {id} is listed as waiting for its concurrency key, but it is not a queued task with a key");
            _keys.RestoreWaiter(task);
        }
        foreach (var key in _keys.All.ToList()) Settle(key);
    }
}
