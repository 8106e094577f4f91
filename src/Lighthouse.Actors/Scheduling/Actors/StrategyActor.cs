using Akka.Actor;
using Akka.Event;

namespace Lighthouse.Scheduling;

/// <summary>
/// Owns the placement engine (through <see cref="TaskPlacer"/>) over the worker nodes and answers
/// "where does this task go?". It is the only one to touch the engine, and it handles one message at
/// a time in the order the scheduler sent them, so every release and node change the scheduler made
/// before asking is already seen when it answers. What each message does to the engine is the placer's
/// business: this actor only carries messages to it and answers.
/// </summary>
internal sealed class StrategyActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TaskPlacer _placer;

    public StrategyActor(SchedulerSettings settings)
    {
        _placer = new TaskPlacer(settings.Strategy, settings.Rubric,
            (e, what) => _log.Error(e, "the placement engine failed while {0}: {1}", what, e.Message));
        Receive<PlaceTasks>(batch => Sender.Tell(new PlacementOutcomes(_placer.PlaceAll(batch.Requests))));
        Receive<PlacerRebuild>(image =>
        {
            foreach (var refused in _placer.Rebuild(image)) Sender.Tell(refused);
        });
        Receive<PinTask>(pin =>
        {
            if (_placer.Apply(pin) is { } reason) Sender.Tell(new PinRefused(pin.TaskId, pin.Node, reason));
        });
        Receive<NodeReachabilityChanged>(change =>
        {
            _placer.Apply(change);
            _log.Info("node {0} is {1}", change.Node, change.Reachable ? "reachable" : "unreachable");
        });
        Receive<SchedulerEvent>(change => _placer.Apply(change));
        Receive<ReleaseTask>(release => _placer.Apply(release));
    }

    public static Props Props(SchedulerSettings settings) => Akka.Actor.Props.Create(() => new StrategyActor(settings));
}
