using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// Drives <see cref="SchedulerState"/> and a real <see cref="TaskPlacer"/> synchronously, doing what
/// the actors do with each event, so scheduling rules are tested without an ActorSystem.
/// </summary>
internal sealed class StateHarness
{
    /// <param name="state">A recovered state to go on from (its engine is rebuilt from it, as the actor rebuilds it); else a new one.</param>
    public StateHarness(SchedulerSettings? settings = null, SchedulerState? state = null)
    {
        var used = settings ?? state?.Settings ?? SchedulerSettings.Default;
        State = state ?? new SchedulerState(used);
        Placer = new TaskPlacer(used.Strategy, used.Rubric);
        if (state is not null) Assert.Empty(Placer.Rebuild(TaskPlacer.RebuildOf(State)));
    }

    /// <summary>Called with each event just before it is applied (a property checks the state a start is decided in).</summary>
    public Action<SchedulerEvent>? BeforeApply { get; set; }

    public ManualTimeProvider Clock { get; } = new();
    public SchedulerState State { get; }
    public TaskPlacer Placer { get; }

    /// <summary>Every start, in order: (task id, node).</summary>
    public List<(string TaskId, string Node)> Starts { get; } = [];

    /// <summary>Every cancel sent to a worker.</summary>
    public List<string> CancelsSent { get; } = [];

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Every event applied, in order (what a journal would hold).</summary>
    public List<SchedulerEvent> Events { get; } = [];

    public void Apply(IEnumerable<SchedulerEvent> events)
    {
        foreach (var change in events)
        {
            BeforeApply?.Invoke(change);
            State.Apply(change);
            Events.Add(change);
            Assert.Null(Placer.Follow(change, State));
            switch (change)
            {
                case TaskStarted started: Starts.Add((started.TaskId, started.Node)); break;
                case TaskCancelRequested cancel: CancelsSent.Add(cancel.TaskId); break;
            }
        }
    }

    public object? Do(Decision decision)
    {
        Apply(decision.Events);
        return decision.Reply;
    }

    public void Register(string node, int slots = 1, string[]? tasks = null, PriorityRange? priorities = null, params (string Key, double Quantity)[] resources)
    {
        var reply = Do(State.DecideRegistration(Registration(node, slots, tasks, priorities, resources), Now));
        Assert.IsType<WorkerRegistered>(reply);
    }

    /// <summary>Registers a node with lanes (its slots their sum, its range their span), handling <paramref name="tasks"/>.</summary>
    public void RegisterLanes(string node, WorkerLane[] lanes, string[]? tasks = null, params (string Key, double Quantity)[] resources)
    {
        var reply = Do(State.DecideRegistration(LaneRegistration(node, lanes, tasks, resources), Now));
        Assert.IsType<WorkerRegistered>(reply);
    }

    public static RegisterWorker LaneRegistration(string node, WorkerLane[] lanes, string[]? tasks = null, params (string Key, double Quantity)[] resources) =>
        new(node, resources.ToDictionary(r => r.Key, r => r.Quantity), tasks ?? ["echo"], WorkerLanes.Span(lanes), WorkerLanes.TotalSlots(lanes), Lanes: lanes);

    public static RegisterWorker Registration(string node, int slots = 1, string[]? tasks = null, PriorityRange? priorities = null, params (string Key, double Quantity)[] resources) =>
        new(node, resources.ToDictionary(r => r.Key, r => r.Quantity), tasks ?? ["echo"], priorities ?? PriorityRange.All, slots);

    public object? Submit(SubmitTask submission) => Do(State.DecideSubmission(submission, Now));

    /// <summary>Submits and returns the new task id (fails the test on rejection).</summary>
    public string Submit(string user = "alice", string task = "echo", int priority = 0, int? maxAttempts = null, params (string Key, double Quantity)[] requirements)
    {
        var reply = Submit(new SubmitTask(task, "{}", user, priority, requirements.ToDictionary(r => r.Key, r => r.Quantity), MaxAttempts: maxAttempts));
        return Assert.IsType<SubmissionAccepted>(reply).TaskId;
    }

    /// <summary>Places and starts tasks until nothing more can start, as the scheduler does; returns how many started.</summary>
    public int Dispatch()
    {
        var started = 0;
        for (var guard = 0; State.NextPlacement() is { } request; guard++)
        {
            Assert.True(guard < 1_000_000, "dispatch did not settle");
            var events = Placer.Settle(State, Placer.Place(request), Now);
            Apply(events);
            started += events.Count(e => e is TaskStarted);
        }
        return started;
    }

    /// <summary>
    /// Dispatch as the scheduler actor does it: up to <paramref name="batch"/> tasks offered per request, the engine
    /// placing them in order, the answers applied in order; returns how many started.
    /// </summary>
    public int DispatchInBatches(int batch)
    {
        var started = 0;
        for (var guard = 0; State.NextPlacements(batch) is { Count: > 0 } requests; guard++)
        {
            Assert.True(guard < 1_000_000, "dispatch did not settle");
            foreach (var outcome in Placer.PlaceAll(requests))
            {
                var events = Placer.Settle(State, outcome, Now);
                Apply(events);
                started += events.Count(e => e is TaskStarted);
            }
        }
        return started;
    }

    public object? Report(IWorkerReport report) =>
        Do(State.DecideReport(State.Tasks.Find(report.TaskId)?.Node ?? "nowhere", report, Now));

    public void Succeed(string taskId, string result = "{}") => Assert.Null(Report(new ReportSuccess(taskId, result)));

    /// <summary>What the scheduler's alarm timer does when it rings at <see cref="Now"/>; returns the tasks it cancels on their nodes.</summary>
    public IReadOnlyList<(string TaskId, string Node)> Alarms()
    {
        var decision = State.DecideAlarms(Now);
        Apply(decision.Events);
        return decision.Cancels;
    }

    public void Lose(string node) => Apply(State.DecideNodeLost(node, Now));

    public void SetReachable(string node, bool reachable) => Apply(State.DecideReachability(node, reachable, Now));

    public TaskInfo Status(string taskId) => State.Status(taskId, Now) ?? throw new Xunit.Sdk.XunitException($"task {taskId} is unknown");

    public string NodeOf(string taskId) => Status(taskId).Node ?? throw new Xunit.Sdk.XunitException($"task {taskId} has no node");
}
