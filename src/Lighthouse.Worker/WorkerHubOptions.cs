using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lighthouse.Protocol;
using Lighthouse.Worker.Processes;

namespace Lighthouse.Worker;

/// <summary>
/// Everything a worker hub declares and runs: its node name, resources (with tags and wards), the
/// priorities it accepts, its slots and its handlers by task name. Each method checks its own input at
/// once and throws <see cref="ArgumentException"/> naming the item and value, keeping what was added
/// before; the properties are checked together by <see cref="WorkerHub.Create(Action{WorkerHubOptions})"/>.
/// </summary>
public sealed class WorkerHubOptions
{
    /// <summary>Resource names the scheduler keeps for itself (see the scheduler's placement shapes).</summary>
    internal const string SlotsResource = "slots";

    internal const string TaskTagPrefix = "task:";

    private readonly SortedDictionary<string, double> _resources = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, TaskHandler> _handlers = new(StringComparer.Ordinal);
    private readonly List<WorkerLane> _lanes = [];

    /// <summary>The node's name in the scheduler; null means machine name and cluster port (or a generated suffix without one).</summary>
    public string? NodeName { get; set; }

    /// <summary>How many tasks run at once; each task takes one slot. Default: the processor count.</summary>
    public int Slots { get; set; } = Environment.ProcessorCount;

    /// <summary>The task priorities this node accepts. Default: all.</summary>
    public PriorityRange Priorities { get; set; } = PriorityRange.All;

    /// <summary>
    /// The lanes added by <see cref="Lane"/>, in order; none means one lane of <see cref="Slots"/> for <see cref="Priorities"/>.
    /// With lanes, the node's slots are their sum and its range their span: <see cref="Slots"/> and <see cref="Priorities"/> are not used.
    /// </summary>
    public IReadOnlyList<WorkerLane> Lanes => _lanes;

    /// <summary>
    /// The nice value, 0 to 19, of the threads that run in-process handlers (built-in and <c>Handle</c>d ones), or null
    /// (the default) to run them on the .NET thread pool at the process's priority. With a value, each handler starts on
    /// a thread of its own at that OS priority, so tasks that keep every core busy cannot delay the cluster's heartbeats
    /// or, in a host, the scheduler, which run on the thread pool (Linux only: elsewhere it is ignored with a warning).
    /// A handler's awaits come back to those threads unless it uses <c>ConfigureAwait(false)</c>. Process handlers
    /// (<see cref="Exec"/>) take their own nice value, as before.
    /// </summary>
    public int? TaskNice { get; set; }

    /// <summary>The highest nice value, the lowest OS priority.</summary>
    public const int MaxNice = 19;

    /// <summary>Reports of one task's progress are at least this far apart (the latest one waits). Default 100 ms.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// After a cancel, how long a handler may ignore its token before the worker acknowledges the cancel anyway
    /// and frees the slot (the handler's thread is abandoned). Default 10 s.
    /// </summary>
    public TimeSpan CancelGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait before registering again when the scheduler has not answered. Doubles up to <see cref="RegistrationRetryMax"/>. Default 500 ms.</summary>
    public TimeSpan RegistrationRetryMin { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between registration attempts. Default 10 s.</summary>
    public TimeSpan RegistrationRetryMax { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The declared resources, name → quantity, in name order (tags are 0, wards -Infinity).</summary>
    public IReadOnlyDictionary<string, double> Resources => _resources;

    /// <summary>The handlers in task-name order.</summary>
    public IReadOnlyCollection<TaskHandler> Handlers => _handlers.Values;

    /// <summary>Declares a resource quantity (e.g. <c>cpu</c> = 4); naming one again replaces its quantity.</summary>
    public WorkerHubOptions Resource(string name, double quantity)
    {
        CheckResourceName(name);
        if (double.IsNaN(quantity))
            throw new ArgumentException($"resource \"{name}\": quantity is NaN; a quantity is a number, Infinity or -Infinity", nameof(quantity));
        _resources[name] = quantity;
        return this;
    }

    /// <summary>Declares a tag: a resource of quantity 0 that tasks can require (e.g. <c>ssd</c>).</summary>
    public WorkerHubOptions Tag(string name) => Resource(name, 0);

    /// <summary>Declares a ward: a resource of quantity -Infinity that keeps out every task not immune to it.</summary>
    public WorkerHubOptions Ward(string name) => Resource(name, double.NegativeInfinity);

    /// <summary>Handles <paramref name="taskName"/> with a function returning a JSON model (null is JSON <c>null</c>).</summary>
    public WorkerHubOptions Handle(string taskName, Func<TaskContext, Task<JsonNode?>> handler, TimeSpan? timeout = null) =>
        Add(taskName, handler, timeout, TaskHandler.FromNode);

    /// <summary>Handles <paramref name="taskName"/> with a function returning a JSON element (e.g. the payload itself).</summary>
    public WorkerHubOptions Handle(string taskName, Func<TaskContext, Task<JsonElement>> handler, TimeSpan? timeout = null) =>
        Add(taskName, handler, timeout, TaskHandler.FromElement);

    /// <summary>
    /// Handles <paramref name="taskName"/> with a function returning JSON text as is. Text that is not valid JSON
    /// fails the task with an error saying so. (A separate name, so a string returned to
    /// <see cref="Handle(string, Func{TaskContext, Task{JsonNode}}, TimeSpan?)"/> stays a JSON string.)
    /// </summary>
    public WorkerHubOptions HandleJsonText(string taskName, Func<TaskContext, Task<string>> handler, TimeSpan? timeout = null) =>
        Add(taskName, handler, timeout, TaskHandler.FromText);

    /// <summary>
    /// Handles <paramref name="taskName"/> by running a program for each task (see <see cref="ProcessHandler"/> and
    /// docs/workers.md): <c>options.Exec("render", ["python3", "/srv/render.py"], o => o.Timeout = TimeSpan.FromMinutes(10))</c>.
    /// The command is fixed here; a task's payload only ever reaches the program on its standard input.
    /// </summary>
    public WorkerHubOptions Exec(string taskName, IReadOnlyList<string> command, Action<ProcessHandlerOptions>? configure = null)
    {
        if (NameRules.Problem(taskName, "task name") is { } problem) throw new ArgumentException(problem, nameof(taskName));
        ArgumentNullException.ThrowIfNull(command);
        var options = new ProcessHandlerOptions(command);
        configure?.Invoke(options);
        if (_handlers.ContainsKey(taskName))
            throw new ArgumentException($"task name \"{taskName}\" already has a handler", nameof(taskName));
        _handlers.Add(taskName, TaskHandler.FromProcess(new ProcessHandler(taskName, options)));
        return this;
    }

    /// <summary>
    /// Adds a lane (pyLoadBalancer's <c>WKHUB_WORKERS</c> entry, <c>lighthouse-worker --lane</c>): <paramref name="slots"/> tasks
    /// at once of priorities <paramref name="minPriority"/> to <paramref name="maxPriority"/>, whose programs (process
    /// handlers without a nice value of their own) run at <paramref name="nice"/>. Lanes may not share a priority; a task
    /// whose priority is in no lane never comes to this node. <c>o.Lane(4, 0, 9, nice: 10).Lane(4, 10, 99).Lane(4, 100, 1000)</c>
    /// </summary>
    public WorkerHubOptions Lane(int slots, int minPriority, int maxPriority, int? nice = null)
    {
        var lane = new WorkerLane(slots, new PriorityRange(minPriority, maxPriority), nice);
        if (WorkerLanes.Problem([.. _lanes, lane], "lanes") is { } problem) throw new ArgumentException(problem);
        _lanes.Add(lane);
        return this;
    }

    /// <summary>Adds the built-in handlers <c>echo</c>, <c>sleep</c>, <c>fail</c> and <c>cpu</c> (see <see cref="BuiltInHandlers"/>).</summary>
    public WorkerHubOptions AddBuiltInHandlers()
    {
        var clash = BuiltInHandlers.Names.Where(_handlers.ContainsKey).ToList();
        if (clash.Count > 0)
            throw new ArgumentException($"task name \"{clash[0]}\" already has a handler; the built-in handlers are {string.Join(", ", BuiltInHandlers.Names)}");
        BuiltInHandlers.AddTo(this);
        return this;
    }

    private WorkerHubOptions Add<THandler>(string taskName, THandler handler, TimeSpan? timeout, Func<string, THandler, TimeSpan?, TaskHandler> wrap)
        where THandler : Delegate
    {
        if (NameRules.Problem(taskName, "task name") is { } problem) throw new ArgumentException(problem, nameof(taskName));
        ArgumentNullException.ThrowIfNull(handler);
        if (timeout is { } t && t <= TimeSpan.Zero)
            throw new ArgumentException($"task name \"{taskName}\": timeout {Describe(t)} is not positive; leave it null for no limit", nameof(timeout));
        if (_handlers.ContainsKey(taskName))
            throw new ArgumentException($"task name \"{taskName}\" already has a handler", nameof(taskName));
        _handlers.Add(taskName, wrap(taskName, handler, timeout));
        return this;
    }

    /// <summary>Null when the properties can run a worker; else what is wrong, naming the property and value.</summary>
    internal string? Problem()
    {
        if (NodeName is not null && NameRules.Problem(NodeName, "node name") is { } name) return name;
        if (_lanes.Count == 0 && Slots < 1) return $"slots is {Slots}: a worker needs at least 1";
        if (Priorities is null) return "priority range is missing";
        if (Priorities.Min > Priorities.Max)
            return $"priority range {Priorities.Min}:{Priorities.Max}: the minimum {Priorities.Min} is above the maximum {Priorities.Max}";
        if (_handlers.Count == 0) return "no handlers: add one with Handle(...) or AddBuiltInHandlers()";
        if (TaskNice is < 0 or > MaxNice)
            return $"task nice {TaskNice}: the nice value of the threads running in-process handlers is from 0 to {MaxNice} (the lowest priority); " +
                   "a handler thread above the process's own priority would compete with its heartbeats";
        if (ProgressInterval < TimeSpan.Zero) return $"progress interval {Describe(ProgressInterval)} is negative";
        if (CancelGrace <= TimeSpan.Zero) return $"cancel grace {Describe(CancelGrace)} is not positive";
        if (_handlers.Values.FirstOrDefault(h => h.Process is { } p && p.Options.StopGrace >= CancelGrace) is { } slow)
            return $"task name \"{slow.TaskName}\": its stop grace {Describe(slow.Process!.Options.StopGrace)} is not below the cancel grace {Describe(CancelGrace)}: " +
                   "a cancelled task's slot would be freed before its processes are killed";
        if (RegistrationRetryMin <= TimeSpan.Zero) return $"registration retry minimum {Describe(RegistrationRetryMin)} is not positive";
        if (RegistrationRetryMax < RegistrationRetryMin)
            return $"registration retry maximum {Describe(RegistrationRetryMax)} is below the minimum {Describe(RegistrationRetryMin)}";
        return null;
    }

    private static void CheckResourceName(string name)
    {
        if (ResourceNameProblem(name) is { } problem) throw new ArgumentException(problem, nameof(name));
    }

    /// <summary>Null when <paramref name="name"/> can name a resource; else why not.</summary>
    public static string? ResourceNameProblem(string? name)
    {
        if (NameRules.Problem(name, "resource name") is { } problem) return problem;
        if (name == SlotsResource)
            return $"resource \"{name}\" is reserved: the scheduler counts slots itself; set the slots instead";
        if (name!.StartsWith(TaskTagPrefix, StringComparison.Ordinal))
            return $"resource \"{name}\" is reserved: \"{TaskTagPrefix}\" names the task names a node handles";
        return null;
    }

    internal static string Describe(TimeSpan span) => span.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
