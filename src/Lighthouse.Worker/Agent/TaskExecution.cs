using System.Globalization;
using System.Text.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Worker.Agent;

/// <summary>
/// Runs one task's handler off the agent's thread and turns whatever happens into a <see cref="TaskOutcome"/>:
/// it never throws. The payload is only parsed and handed over; nothing in it is ever read as an instruction.
/// </summary>
internal static class TaskExecution
{
    private static readonly JsonDocumentOptions Strict = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>
    /// Runs <paramref name="handler"/> for <paramref name="start"/>. Past the handler's timeout, or the task's own
    /// (<see cref="StartTask.Timeout"/>), whichever is shorter, the token is fired and the outcome is a timeout failure at
    /// once, without waiting for a handler that ignores its token.
    /// </summary>
    /// <param name="laneNice">The nice value of the task's lane, for a process handler that sets none of its own.</param>
    /// <param name="threads">Where an in-process handler runs (<see cref="WorkerHub.TaskThreads"/>); null for the thread pool.</param>
    public static Task<TaskOutcome> RunAsync(StartTask start, TaskHandler handler, IProgress<double> progress, CancellationTokenSource cancellation,
        int? laneNice = null, NicedTaskScheduler? threads = null)
    {
        // Off the agent's thread: a handler that blocks before its first await must hold neither the agent nor the timeout.
        // A process handler stays on the thread pool: its program inherits the nice value of the thread that spawns it.
        var work = threads is not null && handler.Process is null
            ? threads.Run(() => InvokeAsync(start, handler, progress, cancellation.Token, laneNice))
            : Task.Run(() => InvokeAsync(start, handler, progress, cancellation.Token, laneNice));
        // Without a timeout there is nothing to wait beside the handler: no timer, no second task.
        if (start.Timeout is { } own && (handler.Timeout is not { } limit || own <= limit))
            return WithinAsync(work, own, start, cancellation, taskTimeout: true);
        return handler.Timeout is { } timeout ? WithinAsync(work, timeout, start, cancellation, taskTimeout: false) : work;
    }

    private static async Task<TaskOutcome> WithinAsync(Task<TaskOutcome> work, TimeSpan timeout, StartTask start, CancellationTokenSource cancellation, bool taskTimeout)
    {
        try
        {
            // One timer, dropped when the handler ends first; the handler's own task never faults (InvokeAsync catches all).
            return await work.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The handler may have ended just as the time ran out: then its outcome stands.
            if (work.IsCompletedSuccessfully) return work.Result;
        }
        _ = cancellation.CancelAsync();
        // The task's own timeout is the scheduler's policy, and its message starts as the scheduler's does (docs/task-policies.md).
        return new TaskOutcome.Failed(taskTimeout
            ? $"timed out after {Milliseconds(timeout)} ms, the task's timeout; the handler of task {start.TaskId} ({start.TaskName}) had its cancellation token fired"
            : $"task {start.TaskId} ({start.TaskName}) timed out after {Milliseconds(timeout)} ms, the timeout of its handler; its cancellation token was fired");
    }

    private static async Task<TaskOutcome> InvokeAsync(StartTask start, TaskHandler handler, IProgress<double> progress, CancellationToken token, int? laneNice)
    {
        JsonElement payload;
        try
        {
            payload = JsonElement.Parse(start.Payload ?? "", Strict);
        }
        catch (JsonException e)
        {
            return new TaskOutcome.Failed($"task {start.TaskId} ({start.TaskName}): the payload is not valid JSON: {e.Message}");
        }

        var context = new TaskContext(start.TaskId, start.TaskName, start.UserId, start.Priority, start.Attempt, payload, start.Payload!, progress, token)
        {
            LaneNice = laneNice,
        };
        string? result;
        try
        {
            result = await handler.Run(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return new TaskOutcome.Stopped();
        }
        catch (Exception e)
        {
            return new TaskOutcome.Failed(TaskErrors.Describe(e));
        }
        // A result that is the payload itself (echo and the like) was parsed, with the same options, just above.
        return result is not null && ReferenceEquals(result, start.Payload) ? new TaskOutcome.Succeeded(result) : Check(handler, result);
    }

    /// <summary>A result the scheduler can take, or the failure that says why it cannot.</summary>
    internal static TaskOutcome Check(TaskHandler handler, string? result)
    {
        if (result is null)
            return new TaskOutcome.Failed($"handler \"{handler.TaskName}\" returned no JSON value (null text or an empty JsonElement); return \"null\" for a JSON null");
        if (handler.ResultIsJson) return new TaskOutcome.Succeeded(result);
        try
        {
            using var document = JsonDocument.Parse(result, Strict);
            return new TaskOutcome.Succeeded(result);
        }
        catch (JsonException e)
        {
            return new TaskOutcome.Failed($"handler \"{handler.TaskName}\" returned a result that is not valid JSON: {e.Message}");
        }
    }

    private static string Milliseconds(TimeSpan span) => span.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
}
