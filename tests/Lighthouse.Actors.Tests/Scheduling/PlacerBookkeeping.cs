using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// What the scheduler actor does to its placement engine around the state's events, for the harnesses that drive a
/// <see cref="SchedulerState"/> and a <see cref="TaskPlacer"/> without an actor (<see cref="StateHarness"/>,
/// Persistence's JournaledHarness), so both keep the engine as the actor would.
/// </summary>
internal static class PlacerBookkeeping
{
    /// <summary>Keeps the engine in step with one applied event: slots given back, nodes added, cut off and removed.</summary>
    public static void Follow(this TaskPlacer placer, SchedulerEvent change)
    {
        switch (change)
        {
            case TaskFinished finished: placer.Release(finished.TaskId); break;
            case TaskRequeued requeued: placer.Release(requeued.TaskId); break;
            case NodeRegistered registered: placer.AddNode(registered); break;
            case NodeReachabilityChanged reachability: placer.SetReachable(reachability.Node, reachability.Reachable); break;
            case NodeRemoved removed: placer.RemoveNode(removed.Node); break;
        }
    }

    /// <summary>The state's decision on the engine's <paramref name="outcome"/>, the engine's slot given back when the state declines it.</summary>
    public static PlacementDecision Settle(this TaskPlacer placer, SchedulerState state, PlacementOutcome outcome, DateTimeOffset now)
    {
        var decision = state.DecidePlacement(outcome, now);
        if (decision.Release) placer.Release(outcome.TaskId);
        return decision;
    }
}
