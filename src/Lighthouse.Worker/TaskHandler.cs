using System.Text.Json;
using System.Text.Json.Nodes;
using Lighthouse.Worker.Processes;

namespace Lighthouse.Worker;

/// <summary>
/// One registered handler: the task name it serves, its optional timeout, and the function the worker runs.
/// Handlers are added with <see cref="WorkerHubOptions.Handle(string, Func{TaskContext, Task{JsonNode}}, TimeSpan?)"/>
/// and its overloads; whatever the handler returns, the worker passes on JSON text.
/// </summary>
public sealed class TaskHandler
{
    private TaskHandler(string taskName, Func<TaskContext, Task<string?>> run, TimeSpan? timeout, bool resultIsJson, ProcessHandler? process = null)
    {
        Process = process;
        TaskName = taskName;
        Run = run;
        Timeout = timeout;
        ResultIsJson = resultIsJson;
    }

    /// <summary>The task name this handler serves.</summary>
    public string TaskName { get; }

    /// <summary>How long one run may take before the task fails as timed out; null for no limit.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Runs the handler; the result is JSON text (or null, which the worker reports as an error).</summary>
    internal Func<TaskContext, Task<string?>> Run { get; }

    /// <summary>True when the result was serialized from a JSON model, so it needs no parse to be trusted.</summary>
    internal bool ResultIsJson { get; }

    /// <summary>The process handler behind this one, for a handler added with <see cref="WorkerHubOptions.Exec"/>; else null.</summary>
    internal ProcessHandler? Process { get; }

    /// <summary>
    /// A program run per task. Its timeout is its own (it stops the process group before failing the task), so the
    /// agent's is not set; its result is checked JSON.
    /// </summary>
    internal static TaskHandler FromProcess(ProcessHandler process) =>
        new(process.TaskName, async context => await process.RunAsync(context).ConfigureAwait(false), timeout: null, resultIsJson: true, process);

    internal static TaskHandler FromNode(string taskName, Func<TaskContext, Task<JsonNode?>> handler, TimeSpan? timeout) =>
        new(taskName, async context =>
        {
            var node = await handler(context).ConfigureAwait(false);
            return node is null ? "null" : node.ToJsonString();
        }, timeout, resultIsJson: true);

    internal static TaskHandler FromElement(string taskName, Func<TaskContext, Task<JsonElement>> handler, TimeSpan? timeout) =>
        new(taskName, async context =>
        {
            var element = await handler(context).ConfigureAwait(false);
            // default(JsonElement) holds no value at all; report it rather than crash on GetRawText.
            return element.ValueKind == JsonValueKind.Undefined ? null : element.GetRawText();
        }, timeout, resultIsJson: true);

    internal static TaskHandler FromText(string taskName, Func<TaskContext, Task<string>> handler, TimeSpan? timeout) =>
        new(taskName, async context => await handler(context).ConfigureAwait(false), timeout, resultIsJson: false);
}
