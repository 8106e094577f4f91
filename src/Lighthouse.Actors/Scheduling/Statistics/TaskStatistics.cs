using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>Per task name: how finished tasks ended, how long they ran and how long they waited to start.</summary>
internal sealed class TaskStatistics
{
    private readonly SortedDictionary<string, Entry> _byName = new(StringComparer.Ordinal);

    /// <summary>Counts a finished task. Run time is from its last start to its end; wait time from submission to that start.</summary>
    public void Record(TaskRecord task)
    {
        if (!_byName.TryGetValue(task.TaskName, out var entry))
        {
            entry = new Entry();
            _byName.Add(task.TaskName, entry);
        }
        switch (task.State)
        {
            case TaskState.Succeeded: entry.Succeeded++; break;
            case TaskState.Failed: entry.Failed++; break;
            case TaskState.Cancelled: entry.Cancelled++; break;
            default: throw new InvalidOperationException($"task {task.Id} is {task.State}, not finished");
        }
        if (task.StartedAt is { } started)
        {
            entry.Wait.Add(started - task.SubmittedAt);
            entry.Run.Add(task.FinishedAt!.Value - started);
        }
    }

    public IReadOnlyList<TaskNameStatistics> View() =>
        _byName.Select(pair => new TaskNameStatistics(
            pair.Key,
            pair.Value.Succeeded + pair.Value.Failed + pair.Value.Cancelled,
            pair.Value.Succeeded,
            pair.Value.Failed,
            pair.Value.Cancelled,
            pair.Value.Run.Summary(),
            pair.Value.Wait.Summary())).ToList();

    /// <summary>The raw counts of every task name, in name order (what a snapshot records).</summary>
    public IReadOnlyList<StatisticsTally> Export() =>
        _byName.Select(pair => new StatisticsTally(
            pair.Key, pair.Value.Succeeded, pair.Value.Failed, pair.Value.Cancelled, pair.Value.Run.Export(), pair.Value.Wait.Export())).ToList();

    /// <summary>Puts back counts a snapshot recorded, replacing any of the same task name.</summary>
    public void Import(IEnumerable<StatisticsTally> tallies)
    {
        foreach (var tally in tallies)
        {
            var entry = new Entry { Succeeded = tally.Succeeded, Failed = tally.Failed, Cancelled = tally.Cancelled };
            entry.Run.Import(tally.Run);
            entry.Wait.Import(tally.Wait);
            _byName[tally.TaskName] = entry;
        }
    }

    private sealed class Entry
    {
        public int Succeeded;
        public int Failed;
        public int Cancelled;
        public readonly Durations Run = new();
        public readonly Durations Wait = new();
    }

    private sealed class Durations
    {
        private int _count;
        private long _totalTicks;
        private TimeSpan _min = TimeSpan.MaxValue;
        private TimeSpan _max = TimeSpan.MinValue;

        public void Add(TimeSpan duration)
        {
            _count++;
            _totalTicks += duration.Ticks;
            if (duration < _min) _min = duration;
            if (duration > _max) _max = duration;
        }

        public DurationTally Export() => new(_count, _totalTicks, _min, _max);

        public void Import(DurationTally tally) => (_count, _totalTicks, _min, _max) = (tally.Count, tally.TotalTicks, tally.Min, tally.Max);

        public DurationSummary? Summary() =>
            _count == 0 ? null : new DurationSummary(_count, _min, TimeSpan.FromTicks(_totalTicks / _count), _max);
    }
}

/// <summary>The raw counts of one task name's finished tasks.</summary>
internal sealed record StatisticsTally(string TaskName, int Succeeded, int Failed, int Cancelled, DurationTally Run, DurationTally Wait);

/// <summary>The raw sums behind a <see cref="DurationSummary"/> (min and max are meaningless while the count is 0).</summary>
internal sealed record DurationTally(int Count, long TotalTicks, TimeSpan Min, TimeSpan Max);
