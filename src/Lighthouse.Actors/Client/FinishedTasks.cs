using Lighthouse.Protocol;

namespace Lighthouse.Client;

/// <summary>
/// The ends of tasks the scheduler pushed while nobody here waited for them (a submission with Watch made by
/// <see cref="LighthouseClient.SubmitAsync(SubmitTask, CancellationToken)"/>, a wait cancelled just before), kept
/// for a while so that a wait starting just after finds its answer at once. A push counts as collecting the task,
/// which shortens its life at the scheduler: without this, such a wait could ask after the task was forgotten.
/// Bounded by count, age and the size of results and errors, oldest out first.
/// </summary>
internal sealed class FinishedTasks(int capacity, TimeSpan lifetime, long maxChars)
{
    public const int DefaultCapacity = 10_000;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);
    public const long DefaultMaxChars = 32L * 1024 * 1024;

    private readonly Dictionary<string, TaskInfo> _byTaskId = new(StringComparer.Ordinal);
    private readonly Queue<(TaskInfo Info, TimeSpan At)> _oldestFirst = new();
    private long _chars;

    public FinishedTasks() : this(DefaultCapacity, DefaultLifetime, DefaultMaxChars) { }

    public int Count => _byTaskId.Count;

    /// <summary>Keeps <paramref name="info"/> (a finished task) from <paramref name="now"/>; a task already kept stays as it was (an end does not change).</summary>
    public void Add(TaskInfo info, TimeSpan now)
    {
        if (!_byTaskId.TryAdd(info.TaskId, info)) return;
        _oldestFirst.Enqueue((info, now));
        _chars += Size(info);
        while (_byTaskId.Count > capacity || _chars > maxChars) DropOldest();
    }

    public bool TryGet(string taskId, out TaskInfo info) => _byTaskId.TryGetValue(taskId, out info!);

    /// <summary>Forgets what has been kept for longer than the lifetime at <paramref name="now"/>.</summary>
    public void Expire(TimeSpan now)
    {
        while (_oldestFirst.TryPeek(out var oldest) && now - oldest.At >= lifetime) DropOldest();
    }

    private void DropOldest()
    {
        var (info, _) = _oldestFirst.Dequeue();
        _byTaskId.Remove(info.TaskId);
        _chars -= Size(info);
    }

    private static long Size(TaskInfo info) => 64 + (info.Result?.Length ?? 0) + (info.Error?.Length ?? 0);
}
