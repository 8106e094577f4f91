using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// Progress reports held until their owner's mailbox is drained, the latest per task only: a worker that reports
/// one task's progress several times within one drain costs the scheduler one decision. A task's other reports
/// must not overtake its progress, so the owner takes a task's held progress (<see cref="Take"/>) before passing
/// any other report of it on.
/// </summary>
internal sealed class ProgressCoalescer
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly List<ReportProgress?> _held = [];

    /// <summary>Nothing is held.</summary>
    public bool IsEmpty => _slots.Count == 0;

    /// <summary>Holds <paramref name="progress"/>, replacing the task's held one; true when nothing was held before (the owner must schedule a flush).</summary>
    public bool Hold(ReportProgress progress)
    {
        if (_slots.TryGetValue(progress.TaskId, out var slot))
        {
            _held[slot] = progress;
            return false;
        }
        var wasEmpty = IsEmpty;
        _slots.Add(progress.TaskId, _held.Count);
        _held.Add(progress);
        return wasEmpty;
    }

    /// <summary>The progress held for <paramref name="taskId"/>, no longer held; null when there is none.</summary>
    public ReportProgress? Take(string taskId)
    {
        if (IsEmpty || !_slots.Remove(taskId, out var slot)) return null;
        var progress = _held[slot];
        _held[slot] = null;
        if (IsEmpty) _held.Clear();
        return progress;
    }

    /// <summary>Everything held, in the order the tasks first reported, and nothing held afterwards.</summary>
    public List<ReportProgress> TakeAll()
    {
        var all = new List<ReportProgress>(_slots.Count);
        foreach (var progress in _held)
            if (progress is not null) all.Add(progress);
        _held.Clear();
        _slots.Clear();
        return all;
    }
}
