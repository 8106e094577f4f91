using Akka.Actor;
using Lighthouse.Persistence;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// The one way state changes (Record), and what each applied event sets off (React).
public sealed partial class SchedulerActor
{
    /// <summary>
    /// The one way state changes: applies <paramref name="events"/> in order with their in-process side
    /// effects, hands the journaled ones to the journal, and once they are durable sends what leaves the
    /// process (starts, cancels, pushes to watchers, then <paramref name="reply"/>). Then dispatches, unless told not to yet.
    /// </summary>
    private void Record(IReadOnlyList<SchedulerEvent> events, object? reply = null, IActorRef? replyTo = null, bool dispatch = true, Delivery delivery = Delivery.Alone)
    {
        List<(IActorRef To, object Message, Delivery Delivery)>? effects = null;
        List<SchedulerEvent>? journaled = null;
        List<string>? collect = null;
        // Indexed: an interface foreach would box an enumerator per message.
        for (var i = 0; i < events.Count; i++)
        {
            var change = events[i];
            _state.Apply(change);
            React(change, ref effects, ref collect);
            if (_persistence.IsDurable && IsJournaled(change)) (journaled ??= []).Add(change);
        }

        if (journaled is null)
        {
            // Nothing to wait for of its own; effects only come from journaled events.
            if (reply is not null) ReplyAfterWrites(reply, replyTo ?? ActorRefs.Nobody, delivery);
            if (effects is not null) foreach (var (to, message, how) in effects) Send(to, message, how);
        }
        else
        {
            _inFlight += journaled.Count;
            _batch.Add(journaled, () =>
            {
                if (effects is not null) foreach (var (to, message, how) in effects) Send(to, message, how);
                if (reply is not null) Send(replyTo ?? ActorRefs.Nobody, reply, delivery);
            });
            if (!_flushScheduled)
            {
                _flushScheduled = true;
                Self.Tell(FlushJournal.Instance);
            }
        }
        // A finished task told to a watcher that collects is collected, as a status read would.
        if (collect is not null)
            foreach (var taskId in collect) Record(_state.DecideStatusRead(taskId, Now, collect: true).Events, dispatch: false);
        // Tasks whose parent just failed or was cancelled end too (their own children in the nested call, down the chain).
        if (_state.HasFollowUps && _state.DecideFollowUps(Now) is { Count: > 0 } followUps) Record(followUps, dispatch: false);
        // One number compared per message: the timer moves only when the earliest alarm may have.
        if (_state.Alarms.Version != _alarmsVersion) ArmAlarms();
        if (dispatch) Dispatch();
    }

    /// <summary>
    /// In-process side effects happen at once (the engine hears what <see cref="TaskPlacer.ChangeFor"/> says it must);
    /// messages for worker nodes and watchers are gathered in <paramref name="effects"/>, to be sent once durable;
    /// watched tasks that finished for a collecting watcher in <paramref name="collect"/>.
    /// </summary>
    private void React(SchedulerEvent change, ref List<(IActorRef To, object Message, Delivery Delivery)>? effects, ref List<string>? collect)
    {
        if (TaskPlacer.ChangeFor(change, _state) is { } engineChange) _strategy.Tell(engineChange);
        switch (change)
        {
            case TaskStarted started:
                var task = _state.Tasks.Find(started.TaskId)!;
                if (_links.TryGetValue(started.Node, out var link))
                    (effects ??= []).Add((link.Child, new StartTask(task.Id, task.TaskName, task.Payload, task.UserId, task.Priority, started.Attempt, task.Timeout), Delivery.ToNode));
                break;
            case TaskCancelRequested cancel:
                var running = _state.Tasks.Find(cancel.TaskId)!;
                // A node away after a recovery is told when it is back (see Return).
                if (_links.TryGetValue(running.Node!, out var runningLink))
                    (effects ??= []).Add((runningLink.Child, new CancelRunningTask(cancel.TaskId), Delivery.ToNode));
                break;
            case NodeRegistered:
                _health?.Tell(WorkerNodeAppeared.Instance);
                break;
            case NodeRemoved removed:
                if (_links.Remove(removed.Node, out var removedLink)) Context.Stop(removedLink.Child);
                break;
            case TaskForgotten forgotten:
                _watchers.Forget(forgotten.TaskId);
                break;
        }
        if (!_watchers.IsEmpty) Notify(change, ref effects, ref collect);
    }
}
