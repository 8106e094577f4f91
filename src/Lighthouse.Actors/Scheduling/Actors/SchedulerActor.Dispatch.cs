using Akka.Actor;

namespace Lighthouse.Scheduling;

// The decision loop with the strategy: at most one placement request out at a time.
public sealed partial class SchedulerActor
{
    /// <summary>The most tasks offered to the strategy in one request.</summary>
    internal const int PlacementBatch = 256;

    private bool _placing;

    /// <summary>
    /// Asks the strategy to place the next tasks, unless a placement is already being asked or nothing can start.
    /// A request offers them in the order one-at-a-time dispatch would (each chosen as if the ones before it started,
    /// see <see cref="SchedulerState.NextPlacements"/>); the engine places them in that order, each seeing the
    /// reservations before it, and the next request goes only once the answers are applied. So dispatch is the same
    /// for the same sequence of messages, and a busy scheduler starts up to <see cref="PlacementBatch"/> tasks per
    /// round trip to the strategy instead of one.
    /// </summary>
    private void Dispatch()
    {
        if (_placing) return;
        var requests = _state.NextPlacements(PlacementBatch);
        if (requests.Count == 0) return;
        _placing = true;
        _strategy.Tell(new PlaceTasks(requests));
    }

    private void Placed(PlacementOutcomes answers)
    {
        _placing = false;
        foreach (var outcome in answers.Outcomes)
        {
            var decision = _state.DecidePlacement(outcome, Now);
            // The engine reserved what the state declined (the task was cancelled or its node left meanwhile).
            if (decision.Release) _strategy.Tell(new ReleaseTask(outcome.TaskId));
            Record(decision.Events, dispatch: false);
        }
        // Before the next request: the write held back for these answers goes now (see Flush).
        if (_flushAfterPlacement) Flush();
        Dispatch();
    }
}
