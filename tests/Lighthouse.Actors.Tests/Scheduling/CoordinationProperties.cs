using FsCheck.Xunit;
using Lighthouse.Actors.Tests.Persistence;
using Lighthouse.Persistence;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// Concurrency keys, dependencies, delays, timeouts and retries together, over random sequences of submit (with and without
/// a key, parents, a retry policy, a delay and a timeout) / dispatch (one at a time or with a limit change while the engine is asked) / succeed / fail / cancel / lose a
/// node / register / change a limit / time passes / restart (from a snapshot's bytes, or replaying the journal's bytes):
/// no task starts before its delay or its retry's back-off is over, no task is retried more than its policy allows,
/// no task starts while its key has as many running as its limit (nor over it: a lowered limit lets running tasks end
/// first), no task starts before every parent succeeded, nobody waits for a key that has room, every count equals a count
/// of the tasks themselves, and a restarted scheduler holds the same keys, waiters (in order) and queues as before.
/// </summary>
public sealed class CoordinationProperties
{
    private static readonly string[] Keys = ["k0", "k1", "k2"];

    private static readonly SchedulerSettings Settings = SchedulerSettings.Default with
    {
        QueueCapPerUser = 30,
        DefaultMaxAttempts = 2,
        ConcurrencyLimits = new Dictionary<string, int> { ["k0"] = 1, ["k1"] = 2 },
    };

    [Property(MaxTest = 300, EndSize = 400)]
    public void No_key_runs_over_its_limit_and_no_task_starts_before_its_parents(int[] steps)
    {
        var earliest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var h = Watched(new StateHarness(Settings), earliest);
        var accepted = new List<string>();
        var journal = new List<SchedulerEvent>();
        var nodesMade = 0;

        // Two nodes from the start, so that tasks start from the first dispatch on (more come and go below).
        h.Register($"n{nodesMade++}", slots: 2);
        h.Register($"n{nodesMade++}", slots: 3);
        journal.AddRange(h.Events);
        for (var i = 0; i < steps.Length; i++)
        {
            // FsCheck's ints are mostly 0 or near it; hashed with their index they spread over every step kind and argument.
            var x = (int)(((uint)steps[i] * 2654435761u ^ (uint)(i + 1) * 0x9E3779B9u) * 2246822519u >> 1);
            var arg = x / 12;
            var before = h.Events.Count;
            switch (x % 12)
            {
                case 0:
                case 1:
                    var submission = Submission(arg, accepted);
                    if (h.Submit(submission) is not SubmissionAccepted { Duplicate: false } ok) break;
                    accepted.Add(ok.TaskId);
                    if (submission.Delay is { } delay) earliest[ok.TaskId] = h.Now + delay;
                    break;
                case 2:
                    h.Dispatch();
                    break;
                case 3:
                    PlaceAcrossALimitChange(h, arg);
                    break;
                case 4:
                case 5:
                    Finish(h, arg);
                    break;
                case 6:
                    if (Pick(accepted, arg) is { } id) Assert.NotNull(h.Do(h.State.DecideCancel(id, h.Now)));
                    break;
                case 7:
                    if (Pick(h.State.Nodes.All.Select(n => n.Name).Order(StringComparer.Ordinal), arg) is { } lost) h.Lose(lost);
                    break;
                case 8:
                    h.Register($"n{nodesMade++}", slots: 1 + arg % 4);
                    break;
                case 9:
                    h.Do(h.State.DecideConcurrencyLimit(new SetConcurrencyLimit(Keys[arg % 3], arg % 5 == 4 ? null : arg % 4), h.Now));
                    break;
                case 10:
                    h.Clock.Advance(TimeSpan.FromSeconds(1));
                    h.Alarms();
                    break;
                case 11:
                    FollowUps(h);
                    journal.AddRange(h.Events.Skip(before).Where(static e => e is not TaskUnplaced));
                    before = h.Events.Count;
                    h = Restarted(h, journal, fromSnapshot: arg % 2 == 0, earliest);
                    break;
            }
            FollowUps(h);
            journal.AddRange(h.Events.Skip(before).Where(static e => e is not TaskUnplaced));
            CheckInvariants(h);
        }
    }

    /// <summary>
    /// A harness whose every start is checked against the state it is applied to: parents succeeded, the key has room, the
    /// task's time has come (its delay, its retry's back-off: <paramref name="earliest"/>, kept across restarts), and no
    /// retry goes beyond the task's count.
    /// </summary>
    private static StateHarness Watched(StateHarness h, Dictionary<string, DateTimeOffset> earliest)
    {
        h.BeforeApply = change =>
        {
            if (change is TaskRetrying retrying)
            {
                var retried = h.State.Tasks.Find(retrying.TaskId)!;
                Assert.True(retried.Retry is { } policy && retried.Retries < policy.Attempts, $"{retried.Id} retried a {retried.Retries + 1}th time, its policy allows {retried.Retry?.Attempts ?? 0}");
                earliest[retrying.TaskId] = retrying.RetryAt;
                return;
            }
            var taskId = change switch
            {
                TaskStarted started => started.TaskId,
                TaskAdopted adopted => adopted.TaskId,
                _ => null,
            };
            if (taskId is null) return;
            var task = h.State.Tasks.Find(taskId)!;
            if (change is TaskStarted)
            {
                Assert.True(task.NotBefore is not { } notBefore || notBefore <= h.Now, $"{taskId} starts at {h.Now:O}, before its time {task.NotBefore:O}");
                Assert.True(!earliest.TryGetValue(taskId, out var due) || due <= h.Now, $"{taskId} starts at {h.Now:O}, before its delay or retry's back-off ends at {due:O}");
            }
            foreach (var parentId in task.After ?? [])
            {
                if (h.State.Tasks.Find(parentId) is { } parent)
                    Assert.True(parent.State == TaskState.Succeeded, $"{taskId} starts while its parent {parentId} is {parent.State}");
            }
            if (task.ConcurrencyKey is not { } key) return;
            var running = RunningWith(h, key);
            var limit = h.State.Keys.Find(key)?.Limit;
            Assert.True(limit is null || running < limit, $"{taskId} starts while key {key} runs {running} of {limit}");
        };
        return h;
    }

    private static int RunningWith(StateHarness h, string key) =>
        h.State.Nodes.All.SelectMany(n => n.Running).Count(t => t.ConcurrencyKey == key);

    private static SubmitTask Submission(int arg, List<string> accepted)
    {
        var key = (arg % 4) switch { 0 => null, var k => Keys[k - 1] };
        // A parent among the latest tasks, so that chains form; sometimes two.
        string[]? after = arg % 3 == 0 && accepted.Count > 0 ? [accepted[^(1 + arg / 3 % Math.Min(3, accepted.Count))]] : null;
        if (after is not null && arg % 5 == 0 && accepted.Count > 3) after = [.. after, accepted[arg % accepted.Count]];
        return new SubmitTask("echo", "{}", $"u{arg % 3}")
        {
            ConcurrencyKey = key,
            After = after,
            Retry = arg % 3 == 0 ? new RetryPolicy(1 + arg % 2, TimeSpan.FromSeconds(1 + arg % 3)) : null,
            Delay = arg % 5 == 1 ? TimeSpan.FromSeconds(1 + arg % 4) : null,
            Timeout = arg % 13 == 2 ? TimeSpan.FromSeconds(2) : null,
        };
    }

    /// <summary>A placement asked of the engine, a limit lowered (or raised) while it is out, then the answer: the actor's interleaving.</summary>
    private static void PlaceAcrossALimitChange(StateHarness h, int arg)
    {
        if (h.State.NextPlacement() is not { } request) return;
        var key = h.State.Tasks.Find(request.TaskId)!.ConcurrencyKey ?? Keys[arg % 3];
        h.Do(h.State.DecideConcurrencyLimit(new SetConcurrencyLimit(key, arg % 3), h.Now));
        h.Apply(h.Placer.Settle(h.State, h.Placer.Place(request), h.Now));
    }

    private static void Finish(StateHarness h, int arg)
    {
        var running = h.State.Nodes.All.SelectMany(n => n.Running).OrderBy(t => t.Sequence).Select(t => t.Id);
        if (Pick(running, arg / 3) is not { } id) return;
        IWorkerReport report = (arg % 3) switch
        {
            0 => new ReportFailure(id, "boom"),
            1 => new AcknowledgeCancel(id),
            _ => new ReportSuccess(id, "{}"),
        };
        Assert.Null(h.Report(report));
    }

    private static void FollowUps(StateHarness h)
    {
        for (var guard = 0; h.State.HasFollowUps; guard++)
        {
            Assert.True(guard < 10_000, "the cancels down the chains did not settle");
            h.Apply(h.State.DecideFollowUps(h.Now));
        }
    }

    private static string? Pick(IEnumerable<string> names, int arg)
    {
        var list = names.ToList();
        return list.Count == 0 ? null : list[arg % list.Count];
    }

    private static object RoundTrip(object item) =>
        SchedulerJournalSerializer.Decode(SchedulerJournalSerializer.Encode(item), PersistenceAkka.Serializer.Manifest(item));

    /// <summary>The scheduler restarted: from its snapshot's bytes, or by replaying every journaled event's bytes. It must hold what the live one held.</summary>
    private static StateHarness Restarted(StateHarness live, List<SchedulerEvent> journal, bool fromSnapshot, Dictionary<string, DateTimeOffset> earliest)
    {
        SchedulerState state;
        if (fromSnapshot)
        {
            state = SchedulerState.Restore(Settings, ((SchedulerSnapshot)RoundTrip(new SchedulerSnapshot(live.State.Capture()))).Image);
        }
        else
        {
            state = new SchedulerState(Settings);
            foreach (var change in journal) state.Apply((SchedulerEvent)RoundTrip(change));
        }
        Assert.Equal(live.State.LimitsView().Keys, state.LimitsView().Keys);
        foreach (var key in live.State.Keys.All)
            Assert.Equal(key.Waiting.Select(t => t.Id), state.Keys.Find(key.Name)!.Waiting.Select(t => t.Id));
        Assert.Equal(live.State.Queues.QueuedTasks.Select(t => t.Id).Order(), state.Queues.QueuedTasks.Select(t => t.Id).Order());
        Assert.Equal(live.State.Dependencies.Waiting, state.Dependencies.Waiting);
        var restarted = Watched(new StateHarness(state: state), earliest);
        restarted.Clock.Advance(live.Now - restarted.Now);
        return restarted;
    }

    private static void CheckInvariants(StateHarness h)
    {
        var live = h.State.Tasks.All.Where(t => !t.State.IsFinished()).ToList();
        foreach (var key in Keys)
        {
            var entry = h.State.Keys.Find(key);
            var running = live.Count(t => t.ConcurrencyKey == key && t.State == TaskState.Running);
            var queuedHolders = live.Count(t => t.ConcurrencyKey == key && t.State == TaskState.Queued && t.HoldsKeySlot);
            var waiting = live.Count(t => t.ConcurrencyKey == key && t.WaitsForKey);
            Assert.All(live.Where(t => t.ConcurrencyKey == key && t.State == TaskState.Running), t => Assert.True(t.HoldsKeySlot));
            if (entry is null)
            {
                Assert.Equal(0, running + queuedHolders + waiting);
                continue;
            }
            Assert.Equal((running, queuedHolders, waiting), (entry.Running, entry.Holders.Count - entry.Running, entry.Waiting.Count));
            if (entry.Limit is { } limit)
            {
                // Over the limit only by tasks that were running when it was lowered: then nothing more is held in a queue.
                Assert.True(running + queuedHolders <= limit || queuedHolders == 0, $"key {key}: {running} running and {queuedHolders} queued holders over its limit {limit}");
                // Nobody waits while the key has room.
                Assert.True(waiting == 0 || running + queuedHolders >= limit, $"key {key}: {waiting} wait with {running + queuedHolders} of {limit} held");
            }
            else
            {
                Assert.Equal(0, waiting);
            }
        }
        // A waiting task is in exactly one waiting place, and never in a queue.
        var queued = h.State.Queues.QueuedTasks.ToHashSet();
        foreach (var task in live.Where(t => t.State == TaskState.Queued))
        {
            var places = (queued.Contains(task) ? 1 : 0) + (task.DueAt is not null ? 1 : 0) + (task.WaitsForParents ? 1 : 0) + (task.WaitsForKey ? 1 : 0);
            Assert.True(places == 1, $"task {task.Id} is in {places} places");
            Assert.Equal(task.ConcurrencyKey is not null && queued.Contains(task), task.HoldsKeySlot);
        }
        Assert.Equal(live.Count(t => t.WaitsForKey), h.State.Keys.Waiting);
    }
}
