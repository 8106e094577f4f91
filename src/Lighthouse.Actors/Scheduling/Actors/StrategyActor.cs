using Akka.Actor;
using Akka.Event;

namespace Lighthouse.Scheduling;

/// <summary>
/// Owns the placement engine (through <see cref="TaskPlacer"/>) over the worker nodes and answers
/// "where does this task go?". It is the only one to touch the engine, and it handles one message at
/// a time in the order the scheduler sent them, so every release and node change the scheduler made
/// before asking is already seen when it answers.
/// </summary>
internal sealed class StrategyActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TaskPlacer _placer;

    public StrategyActor(SchedulerSettings settings)
    {
        _placer = new TaskPlacer(settings.Strategy, settings.Rubric);
        Receive<PlaceTasks>(batch =>
        {
            var outcomes = new PlacementOutcome[batch.Requests.Count];
            for (var i = 0; i < outcomes.Length; i++) outcomes[i] = _placer.Place(batch.Requests[i]);
            Sender.Tell(new PlacementOutcomes(outcomes));
        });
        Receive<ReleaseTask>(release => _placer.Release(release.TaskId));
        Receive<PinTask>(pin =>
        {
            if (_placer.Pin(pin) is { } reason) Sender.Tell(new PinRefused(pin.TaskId, pin.Node, reason));
        });
        Receive<AddWorkerNode>(add => _placer.AddNode(add.Registration));
        Receive<RemoveWorkerNode>(remove => _placer.RemoveNode(remove.Node));
        Receive<SetNodeReachable>(change =>
        {
            _placer.SetReachable(change.Node, change.Reachable);
            _log.Info("node {0} is {1}", change.Node, change.Reachable ? "reachable" : "unreachable");
        });
    }

    public static Props Props(SchedulerSettings settings) => Akka.Actor.Props.Create(() => new StrategyActor(settings));
}
