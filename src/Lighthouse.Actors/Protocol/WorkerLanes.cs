using System.Globalization;

namespace Lighthouse.Protocol;

/// <summary>
/// The rules of a worker's lanes (<see cref="WorkerLane"/>), the same on the worker that declares them and the scheduler
/// that checks a registration: which lane a priority belongs to, and what makes a list of lanes unacceptable.
/// </summary>
public static class WorkerLanes
{
    /// <summary>Lanes a worker may declare; the lane of a task is found by walking them.</summary>
    public const int MaxLanes = 64;

    /// <summary>Slots a worker may offer over all its lanes.</summary>
    public const int MaxTotalSlots = 100_000;

    /// <summary>The index of the lane whose range holds <paramref name="priority"/>, or -1 when none does.</summary>
    public static int IndexOf(IReadOnlyList<WorkerLane> lanes, int priority)
    {
        for (var index = 0; index < lanes.Count; index++)
            if (lanes[index].Priorities.Contains(priority)) return index;
        return -1;
    }

    /// <summary>The slots of all lanes.</summary>
    public static int TotalSlots(IReadOnlyList<WorkerLane> lanes)
    {
        var total = 0L;
        foreach (var lane in lanes) total += lane.Slots;
        return (int)Math.Min(total, int.MaxValue);
    }

    /// <summary>The range from the lanes' lowest minimum to their highest maximum (what a worker without lanes would declare).</summary>
    public static PriorityRange Span(IReadOnlyList<WorkerLane> lanes) =>
        new(lanes.Min(lane => lane.Priorities.Min), lanes.Max(lane => lane.Priorities.Max));

    /// <summary>
    /// Null when <paramref name="lanes"/> can be a worker's lanes; else what is wrong, naming the lane by its number (from
    /// 1) and <paramref name="what"/> (<c>--lane</c>, <c>lighthouse.worker.lanes</c>). Each lane has 1 or more slots, a
    /// minimum not above its maximum and a nice value in -20..19; no two ranges share a priority; at most
    /// <see cref="MaxLanes"/> lanes and <see cref="MaxTotalSlots"/> slots in all.
    /// </summary>
    public static string? Problem(IReadOnlyList<WorkerLane>? lanes, string what)
    {
        if (lanes is null) return null;
        if (lanes.Count == 0) return $"{what}: no lanes; leave them out for one lane of all the worker's slots";
        if (lanes.Count > MaxLanes) return $"{what}: {Number(lanes.Count)} lanes are over the limit of {Number(MaxLanes)}";
        var total = 0L;
        for (var index = 0; index < lanes.Count; index++)
        {
            var lane = lanes[index];
            var at = $"{what}: lane {Number(index + 1)}";
            if (lane is null) return $"{at} is missing";
            if (lane.Priorities is null) return $"{at} ({Number(lane.Slots)} slots) has no priority range";
            if (lane.Slots < 1) return $"{at} ({lane}) has {Number(lane.Slots)} slots: a lane needs at least 1";
            if (lane.Priorities.Min > lane.Priorities.Max)
                return $"{at} ({lane}): the minimum priority {Number(lane.Priorities.Min)} is above the maximum {Number(lane.Priorities.Max)}";
            if (lane.Nice is { } nice && nice is < -20 or > 19)
                return $"{at} ({lane}): nice {Number(nice)} is outside -20..19";
            total += lane.Slots;
            for (var other = 0; other < index; other++)
            {
                var earlier = lanes[other].Priorities;
                if (earlier.Min <= lane.Priorities.Max && lane.Priorities.Min <= earlier.Max)
                    return $"{at} ({lane}) overlaps lane {Number(other + 1)} ({lanes[other]}): priorities {Number(Math.Max(earlier.Min, lane.Priorities.Min))} to " +
                           $"{Number(Math.Min(earlier.Max, lane.Priorities.Max))} would be in both; each priority belongs to at most one lane";
            }
        }
        if (total > MaxTotalSlots)
            return $"{what}: {total.ToString(CultureInfo.InvariantCulture)} slots in all are over the limit of {Number(MaxTotalSlots)}";
        return null;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
