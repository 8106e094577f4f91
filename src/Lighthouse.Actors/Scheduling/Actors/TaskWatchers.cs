using Akka.Actor;

namespace Lighthouse.Scheduling;

/// <summary>
/// Who is to be told of a task's changes (<see cref="Protocol.WatchTask"/>, or a watched submission). In memory
/// only, like a subscription: a scheduler that moves or recovers starts with none, and watchers ask again when
/// they hear nothing. A watcher is kept once per task however often it asks (its flags are merged), and a task
/// keeps at most <see cref="MaxPerTask"/> of them, the newest, so a client that keeps reconnecting cannot grow it.
/// </summary>
internal sealed class TaskWatchers
{
    public const int MaxPerTask = 16;

    private readonly Dictionary<string, List<Watcher>> _byTask = new(StringComparer.Ordinal);

    public bool IsEmpty => _byTask.Count == 0;

    /// <summary>Tasks with at least one watcher.</summary>
    public int Count => _byTask.Count;

    public void Add(string taskId, IActorRef watcher, bool progress, bool collect)
    {
        if (!_byTask.TryGetValue(taskId, out var list))
        {
            _byTask.Add(taskId, [new Watcher(watcher, progress, collect)]);
            return;
        }
        var index = list.FindIndex(w => w.Ref.Equals(watcher));
        if (index >= 0)
        {
            var known = list[index];
            list[index] = known with { Progress = known.Progress || progress, Collect = known.Collect || collect };
            return;
        }
        if (list.Count == MaxPerTask) list.RemoveAt(0);
        list.Add(new Watcher(watcher, progress, collect));
    }

    /// <summary>The task ended: its watchers, who are forgotten here.</summary>
    public List<Watcher>? Take(string taskId) => _byTask.Remove(taskId, out var list) ? list : null;

    /// <summary>The watchers that asked for every change of the task, not only its end; null when none did.</summary>
    public List<IActorRef>? ProgressWatchers(string taskId)
    {
        if (!_byTask.TryGetValue(taskId, out var list)) return null;
        List<IActorRef>? progress = null;
        foreach (var watcher in list)
            if (watcher.Progress) (progress ??= []).Add(watcher.Ref);
        return progress;
    }

    public void Forget(string taskId) => _byTask.Remove(taskId);
}

/// <summary>One watcher of a task: <see cref="Progress"/> to be told every change, <see cref="Collect"/> to collect the task when told its end.</summary>
internal readonly record struct Watcher(IActorRef Ref, bool Progress, bool Collect);
