using Akka.Actor;

namespace Lighthouse.Host.Web.Waits;

/// <summary>
/// What <c>GET /api/tasks/{id}?wait=SECONDS</c> awaits: the task's end, told by the <see cref="TaskWaitActor"/>, or the
/// timeout. Awaiting holds no thread: the request's continuation waits on a completion and a timer.
/// </summary>
internal sealed class TaskWaits(IActorRef watcher)
{
    /// <summary>The longest wait a request may ask for.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    /// <summary>How often a task still waited for is watched again (the scheduler forgets watches when it moves).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    /// <summary>The actor's name in the host's ActorSystem: a prefix, numbered, as one system may serve several web apps (tests).</summary>
    public const string ActorNamePrefix = "http-task-waits-";

    private static int _started;

    public IActorRef Watcher => watcher;

    public static TaskWaits Start(ActorSystem system, IActorRef scheduler, SchedulerGateway gateway, TimeSpan askTimeout) =>
        new(system.ActorOf(TaskWaitActor.Props(scheduler, gateway.Session, askTimeout, RefreshInterval),
            ActorNamePrefix + Interlocked.Increment(ref _started)));

    /// <summary>Returns when task <paramref name="taskId"/> has ended or turned out unknown, or after <paramref name="within"/>, whichever is first.</summary>
    public async Task UntilEnded(string taskId, TimeSpan within, CancellationToken cancellation)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Tell(new AwaitTaskEnd(taskId, waiter));
        try
        {
            await waiter.Task.WaitAsync(within, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The timeout is an answer too: the task's state now.
        }
        finally
        {
            if (!waiter.Task.IsCompleted) watcher.Tell(new StopAwaiting(taskId, waiter));
        }
    }
}
