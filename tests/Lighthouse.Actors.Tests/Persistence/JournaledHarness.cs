using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// Drives a <see cref="SchedulerState"/> and a real placement engine as the scheduler actor does, keeping
/// the journal the actor would write (every event but the dispatch memos), so replays and snapshots can be
/// compared with the live state without an actor system.
/// </summary>
internal sealed class JournaledHarness
{
    public JournaledHarness(SchedulerSettings settings, ManualTimeProvider clock, SchedulerState? state = null)
    {
        Settings = settings;
        Clock = clock;
        State = state ?? new SchedulerState(settings);
        Placer = new TaskPlacer(settings.Strategy, settings.Rubric);
        if (state is null) return;
        // A recovered state gets a new engine, rebuilt as the actor rebuilds it.
        Assert.Empty(Placer.Rebuild(TaskPlacer.RebuildOf(State)));
    }

    public SchedulerSettings Settings { get; }
    public ManualTimeProvider Clock { get; }
    public SchedulerState State { get; }
    public TaskPlacer Placer { get; }
    public List<SchedulerEvent> Journal { get; } = [];
    public List<(string TaskId, string Node, int Attempt)> Starts { get; } = [];

    private DateTimeOffset Now => Clock.GetUtcNow();

    public void Apply(IEnumerable<SchedulerEvent> events)
    {
        foreach (var change in events)
        {
            State.Apply(change);
            if (change is not TaskUnplaced) Journal.Add(change);
            Assert.Null(Placer.Follow(change, State));
            if (change is TaskStarted started) Starts.Add((started.TaskId, started.Node, started.Attempt));
        }
    }

    public object? Do(Decision decision)
    {
        Apply(decision.Events);
        return decision.Reply;
    }

    public void Register(string node, int slots, string[] tasks, PriorityRange? priorities = null, params (string Key, double Quantity)[] resources) =>
        Assert.IsType<WorkerRegistered>(Do(State.DecideRegistration(
            new RegisterWorker(node, resources.ToDictionary(r => r.Key, r => r.Quantity), tasks, priorities ?? PriorityRange.All, slots), Now)));

    public string Submit(string user, string task = "echo", int priority = 0, string? submissionId = null, string[]? immunities = null,
        string[]? aversion = null, params (string Key, double Quantity)[] requirements) =>
        Assert.IsType<SubmissionAccepted>(Do(State.DecideSubmission(new SubmitTask(task, $"{{\"user\":\"{user}\"}}", user, priority,
            requirements.ToDictionary(r => r.Key, r => r.Quantity), immunities?.ToHashSet(), aversion?.ToHashSet(), SubmissionId: submissionId), Now))).TaskId;

    public void Dispatch()
    {
        for (var guard = 0; State.NextPlacement() is { } request; guard++)
        {
            Assert.True(guard < 100_000, "dispatch did not settle");
            Apply(Placer.Settle(State, Placer.Place(request), Now));
        }
    }

    public object? Report(IWorkerReport report) => Do(State.DecideReport(State.Tasks.Find(report.TaskId)!.Node!, report, Now));

    public object? Cancel(string taskId) => Do(State.DecideCancel(taskId, Now));

    public object? Read(string taskId) => Do(State.DecideStatusRead(taskId, Now));

    public void Lose(string node) => Apply(State.DecideNodeLost(node, Now));

    public void SetReachable(string node, bool reachable) => Apply(State.DecideReachability(node, reachable, Now));

    public void Expire() => Apply(State.DecideExpiry(Now));

    public void Alarms() => Apply(State.DecideAlarms(Now).Events);

    public string SubmitWith(SubmitTask submission) => Assert.IsType<SubmissionAccepted>(Do(State.DecideSubmission(submission, Now))).TaskId;

    public IEnumerable<string> RunningTasks => State.RunningTasks().Select(t => t.Id).ToList();
}
