using System.Text.Json.Nodes;
using Lighthouse.Client;
using Lighthouse.Protocol;

namespace Lighthouse.Chaos;

/// <summary>What the checker found: the counts of the report and every broken invariant, each with its evidence.</summary>
internal sealed class ChaosVerdict
{
    public int Submissions { get; set; }
    public int Accepted { get; set; }
    public int AcceptedAnswerLost { get; set; }
    public int NotAccepted { get; set; }
    public int Refused { get; set; }
    public int Completed { get; set; }
    public Dictionary<TaskState, int> ByState { get; } = [];
    public int Lost { get; set; }
    public int Duplicates { get; set; }
    public int WrongResults { get; set; }
    public int Unfinished { get; set; }
    public int Stranded { get; set; }
    public int OverAttempts { get; set; }
    public int ReExecutedTasks { get; set; }
    public int ReExecutions { get; set; }
    public int FailedAfterLosingWorkers { get; set; }
    public int UnexpectedEnds { get; set; }
    public int Phantoms { get; set; }
    public int JournalWriters { get; set; }
    public int InterleavedWriters { get; set; }

    /// <summary>When each task started more than once started last (by the scheduler's clock): re-queued tasks started elsewhere.</summary>
    public List<DateTimeOffset> ReStarts { get; } = [];

    public List<string> Violations { get; } = [];

    public bool Holds => Violations.Count == 0;
}

/// <summary>
/// The independent checker: once the load has stopped and the cluster is whole, waits for quiescence (nothing queued or
/// running), lists every task the scheduler knows of every user, and holds them against the clients' history:
/// <list type="bullet">
/// <item>every accepted submission is exactly one task (a resent submission id maps to the task first answered) that ended;</item>
/// <item>every <c>echo</c> that succeeded returned its payload, and every other kind ended as its kind must (fail failed
/// with its message; a cancelled sleep was cancelled or had finished; a task whose workers were lost
/// <c>max-attempts</c> times failed saying so);</item>
/// <item>every end a client saw is the end the scheduler holds (no task finished twice with different results);</item>
/// <item>attempts never exceed max-attempts; no task is left running (on a node that is gone: stranded);</item>
/// <item>the scheduler holds no task of these users that no client submitted, and no task id was answered to two submissions (two schedulers at once);</item>
/// <item>the journal's rows come from one scheduler incarnation after another, never interleaved (two schedulers writing at once).</item>
/// </list>
/// </summary>
internal static class ChaosChecker
{
    public static readonly TimeSpan QuiescenceLimit = TimeSpan.FromMinutes(3);

    public static async Task<ChaosVerdict> CheckAsync(ChaosHistory history, LighthouseClient admin, Action<string> log, CancellationToken hard)
    {
        var verdict = new ChaosVerdict();
        var quiet = await QuiescenceAsync(admin, hard);
        if (quiet is not null) log($"checker: not quiescent within {QuiescenceLimit}: {quiet} (checking anyway)");

        var tasks = new List<TaskInfo>();
        foreach (var user in ChaosLoad.AllUsers) tasks.AddRange(await Retry(() => admin.ListAsync(user, hard), hard));
        var nodes = (await Retry(() => admin.GetNodesAsync(hard), hard)).Nodes.Where(n => n.State == WorkerNodeState.Reachable).Select(n => n.Node).ToHashSet();
        var bySubmission = tasks.Where(t => t.SubmissionId is not null).ToLookup(t => t.SubmissionId!);
        var submissions = history.Submissions;
        var known = submissions.Select(s => s.SubmissionId).ToHashSet();

        foreach (var phantom in tasks.Where(t => t.SubmissionId is null || !known.Contains(t.SubmissionId)))
        {
            verdict.Phantoms++;
            Violation(verdict, $"the scheduler holds task {phantom.TaskId} ({phantom.TaskName} for {phantom.UserId}, submission id {phantom.SubmissionId ?? "none"}) that no client submitted");
        }

        // Two schedulers at once (a downed one still answering) would hand out the same task id twice.
        foreach (var shared in submissions.SelectMany(s => s.TaskIds.Select(id => (Id: id, Record: s))).GroupBy(a => a.Id).Where(g => g.Count() > 1))
        {
            verdict.Duplicates++;
            Violation(verdict, $"SPLIT BRAIN: task id {shared.Key} was answered to {shared.Count()} submissions: {string.Join("; ", shared.Select(a => a.Record))}");
        }

        verdict.Submissions = submissions.Count;
        foreach (var record in submissions)
        {
            var held = bySubmission[record.SubmissionId].ToList();
            var answered = record.TaskIds;
            if (record.Refusal is not null && held.Count == 0)
            {
                verdict.Refused++;
                continue;
            }
            if (answered.Count > 1)
            {
                verdict.Duplicates++;
                Violation(verdict, $"{record}: the scheduler answered {answered.Count} different task ids for one submission id");
            }
            if (held.Count > 1)
            {
                verdict.Duplicates++;
                Violation(verdict, $"{record}: the scheduler holds {held.Count} tasks for it: {string.Join(", ", held.Select(Describe))}");
            }
            if (held.Count == 0)
            {
                if (answered.Count == 0) { verdict.NotAccepted++; continue; }
                verdict.Accepted++;
                verdict.Lost++;
                Violation(verdict, $"LOST: {record} was accepted as {answered[0]} at {record.AcceptedAt:HH:mm:ss.fff}, and the scheduler no longer knows it; ends seen: {Ends(record)}");
                continue;
            }
            verdict.Accepted++;
            if (answered.Count == 0) verdict.AcceptedAnswerLost++;
            var task = held[0];
            if (answered.Count > 0 && !answered.Contains(task.TaskId))
                Violation(verdict, $"{record}: answered task id {answered[0]}, but the scheduler holds {task.TaskId} for it");
            CheckTask(verdict, record, task, nodes);
        }
        return verdict;
    }

    private static void CheckTask(ChaosVerdict verdict, SubmissionRecord record, TaskInfo task, HashSet<string> nodes)
    {
        if (task.Attempts > 1)
        {
            verdict.ReExecutedTasks++;
            verdict.ReExecutions += task.Attempts - 1;
            if (task.StartedAt is { } started) verdict.ReStarts.Add(started);
        }
        if (task.Attempts > task.MaxAttempts)
        {
            verdict.OverAttempts++;
            Violation(verdict, $"{Describe(task)} of {record}: {task.Attempts} attempts, more than its max-attempts {task.MaxAttempts}");
        }
        if (record.MaxAttempts is { } asked && task.MaxAttempts != asked)
            Violation(verdict, $"{Describe(task)} of {record}: max-attempts {task.MaxAttempts}, but {asked} was asked");
        if (!task.State.IsFinished())
        {
            if (task.State == TaskState.Running && (task.Node is null || !nodes.Contains(task.Node)))
            {
                verdict.Stranded++;
                Violation(verdict, $"STRANDED: {Describe(task)} of {record} is running on {task.Node ?? "no node"}, which is not a reachable node");
            }
            else
            {
                verdict.Unfinished++;
                Violation(verdict, $"UNFINISHED: {Describe(task)} of {record} is still {task.State} after quiescence");
            }
            return;
        }
        verdict.Completed++;
        verdict.ByState[task.State] = verdict.ByState.GetValueOrDefault(task.State) + 1;

        // Workers lost max-attempts times fail any kind of task, saying so: allowed, counted.
        var lostWorkers = task.State == TaskState.Failed && task.Error is { } reason && reason.Contains("attempt", StringComparison.OrdinalIgnoreCase);
        if (lostWorkers) verdict.FailedAfterLosingWorkers++;
        switch (record.Kind)
        {
            case SubmissionKind.Echo or SubmissionKind.Requirements or SubmissionKind.Probe:
                if (task.State == TaskState.Succeeded && task.Result != record.Payload)
                {
                    verdict.WrongResults++;
                    Violation(verdict, $"WRONG RESULT: {Describe(task)} of {record} returned {task.Result}");
                }
                else if (task.State != TaskState.Succeeded && !lostWorkers) Unexpected(verdict, record, task);
                break;
            case SubmissionKind.Sleep:
                if (task.State != TaskState.Succeeded && !lostWorkers) Unexpected(verdict, record, task);
                break;
            case SubmissionKind.Fail:
                if (task.State != TaskState.Failed || !(task.Error ?? "").Contains(Message(record.Payload), StringComparison.Ordinal))
                    if (!lostWorkers) Unexpected(verdict, record, task);
                break;
            case SubmissionKind.Cancel:
                if (task.State == TaskState.Failed && !lostWorkers) Unexpected(verdict, record, task);
                break;
        }

        foreach (var end in record.Ends)
        {
            if (end.State == task.State && SameResult(end.Result, task.Result)) continue;
            verdict.Duplicates++;
            Violation(verdict, $"TWO ENDS: {Describe(task)} of {record}: the scheduler holds {task.State} {task.Result ?? task.Error}, " +
                               $"but {end.Via} was told {end.State} {end.Result ?? end.Error} (attempt {end.Attempts} on {end.Node}) at {end.SeenAt:HH:mm:ss.fff}");
        }
    }

    private static void Unexpected(ChaosVerdict verdict, SubmissionRecord record, TaskInfo task)
    {
        verdict.UnexpectedEnds++;
        Violation(verdict, $"UNEXPECTED END: {Describe(task)} of {record} ended {task.State}: {task.Error ?? task.Result}");
    }

    /// <summary>Equal text, or equal JSON (the HTTP API writes a JSON result re-encoded).</summary>
    private static bool SameResult(string? seen, string? held)
    {
        if (seen == held) return true;
        if (seen is null || held is null) return false;
        try { return JsonNode.DeepEquals(JsonNode.Parse(seen), JsonNode.Parse(held)); }
        catch (System.Text.Json.JsonException) { return false; }
    }

    private static string Message(string failPayload) => JsonNode.Parse(failPayload)!["message"]!.GetValue<string>();

    /// <summary>Null once nothing is queued or running; else what still is, after <see cref="QuiescenceLimit"/>.</summary>
    private static async Task<string?> QuiescenceAsync(LighthouseClient admin, CancellationToken hard)
    {
        var limit = DateTimeOffset.UtcNow + QuiescenceLimit;
        while (true)
        {
            var queues = await Retry(() => admin.GetQueuesAsync(hard), hard);
            if (queues.Queued == 0 && queues.Running == 0) return null;
            if (DateTimeOffset.UtcNow > limit) return $"{queues.Queued} queued, {queues.Running} running";
            await Task.Delay(500, hard);
        }
    }

    /// <summary>A read, asked again while the scheduler does not answer (bounded by the run's hard token).</summary>
    private static async Task<T> Retry<T>(Func<Task<T>> read, CancellationToken hard)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await read(); }
            catch (LighthouseUnavailableException) when (attempt < 30 && !hard.IsCancellationRequested) { await Task.Delay(1000, hard); }
        }
    }

    /// <summary>
    /// Two schedulers never wrote at once: each scheduler incarnation writes under a writer id of its own, so in sequence
    /// order the journal's rows are one writer's run after another's, and a writer whose run has ended never writes again
    /// (a downed scheduler that woke and wrote next to its successor would).
    /// </summary>
    public static void CheckJournalWriters(ChaosVerdict verdict, IReadOnlyList<(long Sequence, string Writer)> rows)
    {
        var runs = new List<(string Writer, long First, long Last)>();
        foreach (var (sequence, writer) in rows)
        {
            if (runs.Count > 0 && runs[^1].Writer == writer) runs[^1] = (writer, runs[^1].First, sequence);
            else runs.Add((writer, sequence, sequence));
        }
        verdict.JournalWriters = runs.Select(r => r.Writer).Distinct().Count();
        foreach (var writer in runs.GroupBy(r => r.Writer).Where(g => g.Count() > 1))
        {
            verdict.InterleavedWriters++;
            Violation(verdict, $"SPLIT BRAIN: journal writer {writer.Key} wrote rows {string.Join(" and ", writer.Select(r => $"{r.First}–{r.Last}"))}, with another scheduler's rows between");
        }
    }

    private static void Violation(ChaosVerdict verdict, string what) => verdict.Violations.Add(what);

    private static string Describe(TaskInfo t) => $"task {t.TaskId} [{t.State}, attempt {t.Attempts}/{t.MaxAttempts}, node {t.Node ?? "-"}]";

    private static string Ends(SubmissionRecord record) => record.Ends.Count == 0 ? "none" : string.Join("; ", record.Ends.Select(e => $"{e.State} via {e.Via} at {e.SeenAt:HH:mm:ss.fff}"));
}
