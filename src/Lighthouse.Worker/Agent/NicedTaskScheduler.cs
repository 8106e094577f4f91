using System.Collections.Concurrent;
using Lighthouse.Worker.Processes;

namespace Lighthouse.Worker.Agent;

/// <summary>
/// Runs in-process handlers on threads of their own at a lower OS priority (a nice value), so that tasks keeping the
/// cores busy cannot delay the threads the cluster needs: Akka's dispatchers, its heartbeats and, in a host, the
/// scheduler run on the .NET thread pool at the process's priority. Linux keeps a nice value per thread, which is what
/// makes this possible (<see cref="WorkerHubOptions.TaskNice"/>).
/// <para>
/// The pool is elastic: a queued item wakes an idle thread or starts a new one, so a handler that blocks never holds up
/// another's continuation (tasks are at most the slots, plus handlers abandoned after their cancel grace); a thread idle
/// for <see cref="IdleTimeout"/> ends. Continuations of a handler's own awaits come back here unless it uses
/// <c>ConfigureAwait(false)</c>, which sends them to the thread pool at normal priority.
/// </para>
/// <para>
/// Linux gives a new thread the nice value of the thread that creates it, and a nice value cannot be lowered again
/// without privilege; the .NET thread pool starts its threads from whichever thread queues work when it wants more.
/// So nothing of the worker's own leaves these threads directly: a handler's end and its progress reach the agent
/// through a relay thread at the process's priority (<see cref="Post"/>). A handler that queues work itself
/// (<c>Task.Run</c>, an actor's <c>Tell</c>) may still grow the pool with a lowered thread; docs/workers.md says so.
/// </para>
/// </summary>
internal sealed class NicedTaskScheduler : TaskScheduler
{
    /// <summary>How long a thread waits for work before it ends.</summary>
    internal static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    [ThreadStatic] private static NicedTaskScheduler? _running;

    private readonly ConcurrentQueue<Task> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly BlockingCollection<Action> _relay = new();
    private int _idle;
    private int _threadsStarted;

    /// <param name="nice">The nice value of every thread, 0 to 19 (the lowest priority).</param>
    public NicedTaskScheduler(int nice)
    {
        Nice = nice;
        // Started here, by the thread that creates the hub (at the process's priority), never by a lowered one.
        new Thread(Relay) { IsBackground = true, Name = "lighthouse-relay" }.Start();
    }

    public int Nice { get; }

    /// <summary>Threads waiting for work that no queued item has claimed yet.</summary>
    public int IdleThreads => Volatile.Read(ref _idle);

    /// <summary>Threads started so far.</summary>
    public int ThreadsStarted => Volatile.Read(ref _threadsStarted);

    protected override void QueueTask(Task task)
    {
        _queue.Enqueue(task);
        if (TryClaimIdle()) _wake.Release();
        else StartThread();
    }

    /// <summary>Inline only on one of this scheduler's threads: never on an actor's or the thread pool's.</summary>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        _running == this && !taskWasPreviouslyQueued && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private void StartThread()
    {
        Interlocked.Increment(ref _threadsStarted);
        new Thread(Run) { IsBackground = true, Name = "lighthouse-task" }.Start();
    }

    /// <summary>Takes one idle thread for a queued item: it will be woken (one release per claim).</summary>
    private bool TryClaimIdle()
    {
        for (var idle = Volatile.Read(ref _idle); idle > 0; idle = Volatile.Read(ref _idle))
        {
            if (Interlocked.CompareExchange(ref _idle, idle - 1, idle) == idle) return true;
        }
        return false;
    }

    private void Run()
    {
        _running = this;
        SetNice();
        while (true)
        {
            while (_queue.TryDequeue(out var task)) TryExecuteTask(task);
            Interlocked.Increment(ref _idle);
            // An item queued between the last dequeue and the increment may have started a thread instead of
            // waking this one: look again, taking this thread's own idle mark back if it is still there.
            if (!_queue.IsEmpty && TryClaimIdle()) continue;
            if (_wake.Wait(IdleTimeout)) continue;
            // Idle too long: leave, unless every idle mark was claimed meanwhile; then a release is owed to an idle
            // thread, and this one takes it (idle threads are interchangeable).
            if (TryClaimIdle()) return;
            _wake.Wait();
        }
    }

    /// <summary>
    /// Sets the calling thread's nice value (who = 0 is the calling thread on Linux, which keeps one per thread; elsewhere
    /// it would be the whole process, which is why the hub uses this scheduler on Linux only). Refused (a value below
    /// the process's own, without privilege), the thread keeps the process's: the hub warns of that when it starts.
    /// </summary>
    private void SetNice() => Posix.setpriority(Posix.PrioProcess, 0, Nice);

    /// <summary>
    /// Runs <paramref name="work"/> on this scheduler's threads (its synchronous part and the awaits that keep their
    /// context); the returned task completes on the relay thread, so what continues from it runs at the process's priority.
    /// </summary>
    public Task<T> Run<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>();
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap()
            .ContinueWith(ended => Post(() => done.TrySetFromTask(ended)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, Default);
        return done.Task;
    }

    /// <summary>Runs <paramref name="action"/> on the relay thread, at the process's priority; it must be short (e.g. a <c>Tell</c>).</summary>
    public void Post(Action action) => _relay.Add(action);

    private void Relay()
    {
        foreach (var action in _relay.GetConsumingEnumerable())
        {
            try
            {
                action();
            }
            catch (Exception)
            {
                // A relayed action is the worker's own (complete a task, tell the agent); none throws, and none may stop the relay.
            }
        }
    }
}
