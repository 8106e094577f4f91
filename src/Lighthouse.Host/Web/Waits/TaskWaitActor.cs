using Akka.Actor;
using Akka.Event;
using Lighthouse.Client;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Web.Waits;

/// <summary>
/// The web side's watcher of tasks that HTTP requests wait for (<c>?wait=</c>): it sends the scheduler one
/// <see cref="WatchTask"/> per task, however many requests wait, and wakes them all when the scheduler pushes the end
/// (<see cref="TaskUpdated"/>), so a held request costs a completion in this actor's book, not a thread and not a poll.
/// Its watches never collect (Collect = false): the woken request reads the task itself exactly as a plain GET does, so a
/// wait shortens retention no differently from a read, and a watch left behind by a request that gave up collects nothing.
/// Watches live in the scheduler's memory only, so each task's watch is sent again every refresh interval while waited for.
/// </summary>
internal sealed class TaskWaitActor : ReceiveActor, IWithTimers
{
    private const string RefreshTimer = "refresh";

    private readonly IActorRef _scheduler;
    private readonly SessionKeeper _session;
    private readonly TimeSpan _askTimeout;
    private readonly TaskWaitBook _book;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public TaskWaitActor(IActorRef scheduler, SessionKeeper session, TimeSpan askTimeout, TimeSpan refreshInterval)
    {
        _scheduler = scheduler;
        _session = session;
        _askTimeout = askTimeout;
        _book = new TaskWaitBook(refreshInterval);

        Receive<AwaitTaskEnd>(wait =>
        {
            if (_book.Add(wait.TaskId, wait.Waiter, Now)) Watch(wait.TaskId);
        });
        Receive<StopAwaiting>(stop => _book.Remove(stop.TaskId, stop.Waiter));
        Receive<CountTaskWaits>(_ => Sender.Tell(new TaskWaitCount(_book.Count, _book.Tasks)));
        Receive<Sealed>(sealedWatch => _scheduler.Tell(sealedWatch.Message, Self));
        Receive<SealFailed>(failed =>
        {
            // No session for the watch: its waiters read the task now, and their read reports what is wrong.
            _log.Warning("could not watch task {0} for an HTTP wait: {1}", failed.TaskId, failed.Error.Message);
            _book.Wake(failed.TaskId);
        });
        Receive<Refresh>(_ =>
        {
            foreach (var taskId in _book.DueForRefresh(Now)) Watch(taskId);
        });
        Receive<MessageBatch>(batch =>
        {
            foreach (var message in batch.Messages) Heard(message);
        });
        ReceiveAny(Heard);
        Timers!.StartPeriodicTimer(RefreshTimer, Refresh.Instance, refreshInterval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef scheduler, SessionKeeper session, TimeSpan askTimeout, TimeSpan refreshInterval) =>
        Akka.Actor.Props.Create(() => new TaskWaitActor(scheduler, session, askTimeout, refreshInterval));

    private TimeSpan Now => Context.System.Scheduler.MonotonicClock;

    protected override void PostStop() => _book.WakeAll();

    private void Watch(string taskId)
    {
        var watch = new WatchTask(taskId, Progress: false, Collect: false);
        if (!_session.IsSecure)
        {
            _scheduler.Tell(watch, Self);
            return;
        }
        _session.Seal(watch, _askTimeout, CancellationToken.None).PipeTo(Self,
            success: message => new Sealed(message),
            failure: error => new SealFailed(taskId, error));
    }

    private void Heard(object message)
    {
        switch (message)
        {
            // The watch's answer (the task now) and the push of its end.
            case TaskInfo info:
                if (info.State.IsFinished()) _book.Wake(info.TaskId);
                return;
            case TaskUpdated updated:
                if (updated.Task.State.IsFinished()) _book.Wake(updated.Task.TaskId);
                return;
            case UnknownTask unknown:
                _book.Wake(unknown.TaskId);
                return;
            case NotAuthorized { SessionUnknown: true }:
                // The scheduler restarted or moved: a new session, and the refresh sends every watch again in it.
                _session.SessionLost();
                return;
            case NotAuthorized denied:
                _log.Warning("the scheduler refused this host's watch for an HTTP wait: {0}", denied.Reason);
                _book.WakeAll();
                return;
            default:
                _log.Debug("dropped {0} from {1}: the HTTP wait watcher expects task statuses only", message.GetType().Name, Sender);
                return;
        }
    }

    private sealed record Sealed(object Message);

    private sealed record SealFailed(string TaskId, Exception Error);

    private sealed record Refresh
    {
        public static Refresh Instance { get; } = new();
    }
}
