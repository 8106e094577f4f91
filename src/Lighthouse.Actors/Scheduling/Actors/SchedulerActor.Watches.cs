using Akka.Actor;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// Watches: who is pushed a task's changes (WatchTask, a watched submission), in memory only.
public sealed partial class SchedulerActor
{
    private readonly TaskWatchers _watchers = new();

    /// <summary>A submission; with Watch, its sender is told the task's end (see <see cref="SubmitTask.Watch"/>).</summary>
    private void Submit(SubmitTask submit)
    {
        var decision = _state.DecideSubmission(submit, Now);
        Answer(decision);
        if (submit.Watch && decision.Reply is SubmissionAccepted accepted) StartWatching(accepted.TaskId, Sender, progress: false, collect: true);
    }

    /// <summary>Answers the task's status at once, then pushes its changes to the sender (see <see cref="WatchTask"/>).</summary>
    private void Watch(WatchTask watch)
    {
        Answer(_state.DecideStatusRead(watch.TaskId, Now, watch.Collect));
        if (_state.Tasks.Find(watch.TaskId) is { } task && !task.State.IsFinished())
            _watchers.Add(watch.TaskId, Sender, watch.Progress, watch.Collect);
    }

    /// <summary>Watches a task just accepted (or accepted before, for a repeated submission): an already finished one is told at once.</summary>
    private void StartWatching(string taskId, IActorRef watcher, bool progress, bool collect)
    {
        if (_state.Tasks.Find(taskId) is not { } task) return;
        if (!task.State.IsFinished())
        {
            _watchers.Add(taskId, watcher, progress, collect);
            return;
        }
        ReplyAfterWrites(new TaskUpdated(_state.Info(task, Now)), watcher, Delivery.Batched);
        if (collect) Record(_state.DecideStatusRead(taskId, Now, collect: true).Events, dispatch: false);
    }

    /// <summary>The pushes <paramref name="change"/> makes to watchers (into <paramref name="effects"/>), and the finished tasks a collecting watcher was told (into <paramref name="collect"/>).</summary>
    private void Notify(SchedulerEvent change, ref List<(IActorRef To, object Message, Delivery Delivery)>? effects, ref List<string>? collect)
    {
        switch (change)
        {
            case TaskFinished finished when _watchers.Take(finished.TaskId) is { } watchers:
                var update = new TaskUpdated(_state.Info(_state.Tasks.Find(finished.TaskId)!, Now));
                foreach (var watcher in watchers) (effects ??= []).Add((watcher.Ref, update, Delivery.Batched));
                if (watchers.Any(w => w.Collect)) (collect ??= []).Add(finished.TaskId);
                break;
            default:
                if (ProgressOf(change) is { } taskId && _watchers.ProgressWatchers(taskId) is { } progressWatchers)
                {
                    var progressed = new TaskUpdated(_state.Info(_state.Tasks.Find(taskId)!, Now));
                    foreach (var watcher in progressWatchers) (effects ??= []).Add((watcher, progressed, Delivery.Batched));
                }
                break;
        }
    }

    /// <summary>The task whose state or progress <paramref name="change"/> moved on without ending it: what progress watchers are told.</summary>
    private static string? ProgressOf(SchedulerEvent change) => change switch
    {
        TaskStarted e => e.TaskId,
        TaskProgressed e => e.TaskId,
        TaskRequeued e => e.TaskId,
        TaskCancelRequested e => e.TaskId,
        TaskAdopted e => e.TaskId,
        TaskRetrying e => e.TaskId,
        TaskDue e => e.TaskId,
        _ => null,
    };
}
