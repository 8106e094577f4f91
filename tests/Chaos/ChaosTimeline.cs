using System.Globalization;
using System.Text.RegularExpressions;

namespace Lighthouse.Chaos;

/// <summary>One <c>kill -9</c> of the scheduler's host, phase by phase: each phase's time from the kill, null when it was not seen.</summary>
internal sealed record FailoverPhases(int Fault, string Target, IReadOnlyList<(string Phase, TimeSpan? At)> Phases, TimeSpan? Recovery)
{
    public override string ToString() =>
        $"#{Fault} {Target}: " + string.Join(", ", Phases.Select(p => $"{p.Phase} {(p.At is { } t ? $"{t.TotalSeconds:0.00}" : "-")}")) +
        (Recovery is { } r ? $" (recovery itself {r.TotalMilliseconds:0} ms)" : "");
}

/// <summary>
/// Where a scheduler fail-over's time goes, read after the run from every process's log in the run's directory (each
/// line stamped by the harness's clock as it arrived, the same clock as the faults') and from the probes: when a
/// survivor marked the killed host unreachable, when the split-brain resolver downed it, when the leader removed it,
/// when the singleton started on the new host, when that scheduler had recovered its state, when a probe was
/// accepted and started again, and when the tasks started more than once (re-queued) last started.
/// </summary>
internal static class ChaosTimeline
{
    public static readonly string[] PhaseNames =
        ["unreachable", "downed", "removed", "singleton started", "recovered", "first accepted", "dispatch resumed", "re-queued started elsewhere"];

    private const string RecoveredLine = "the scheduler recovered from the ";

    private static readonly string[] Markers =
        ["Marking node(s) as UNREACHABLE", "as [Down]", "SBR is downing", "Leader is removing unreachable node", "Singleton manager started singleton actor", RecoveredLine];

    private static readonly Regex RecoveredIn = new(@" in (\d+) ms", RegexOptions.CultureInvariant);

    public static IReadOnlyList<FailoverPhases> Read(string runDirectory, ChaosCluster cluster, IReadOnlyList<FaultRecord> faults, ChaosVerdict verdict)
    {
        var kills = faults.Where(f => f.Kind == FaultKind.KillSchedulerHost).ToList();
        if (kills.Count == 0) return [];
        var lines = new List<(TimeSpan TimeOfDay, string Text)>();
        foreach (var file in Directory.EnumerateFiles(runDirectory, "*.log"))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.Length < 14 || line.Contains(" ### ", StringComparison.Ordinal) || !Markers.Any(m => line.Contains(m, StringComparison.Ordinal))) continue;
                if (TimeSpan.TryParseExact(line[..12], @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out var at)) lines.Add((at, line[13..]));
            }
        }

        var result = new List<FailoverPhases>();
        foreach (var fault in kills)
        {
            var slot = cluster.Hosts.FirstOrDefault(h => fault.Target.StartsWith(h.Name + "#", StringComparison.Ordinal));
            if (slot is null) continue;
            var address = new Regex($@"127\.0\.0\.1:{slot.Port.ToString(CultureInfo.InvariantCulture)}(?!\d)", RegexOptions.CultureInvariant);
            var window = fault.WholeAgain ?? ChaosFaults.WholeLimit;
            var seen = lines.Select(l => (At: Since(fault.At, l.TimeOfDay), l.Text)).Where(l => l.At >= TimeSpan.Zero && l.At <= window).OrderBy(l => l.At).ToList();
            TimeSpan? First(Func<string, bool> match) => seen.FirstOrDefault(l => match(l.Text)) is { Text: not null } hit ? hit.At : null;
            bool About(string text) => address.IsMatch(text);

            var recoveredLine = seen.FirstOrDefault(l => l.Text.Contains(RecoveredLine, StringComparison.Ordinal));
            TimeSpan? recovery = recoveredLine.Text is { } text && RecoveredIn.Match(text) is { Success: true } m
                ? TimeSpan.FromMilliseconds(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
                : null;
            var restarts = verdict.ReStarts.Select(s => s - fault.At).Where(t => t >= TimeSpan.Zero && t <= window).ToList();
            result.Add(new FailoverPhases(fault.Number, fault.Target,
            [
                ("unreachable", First(t => t.Contains(Markers[0], StringComparison.Ordinal) && About(t))),
                ("downed", First(t => (t.Contains(Markers[1], StringComparison.Ordinal) || t.Contains(Markers[2], StringComparison.Ordinal)) && About(t))),
                ("removed", First(t => t.Contains(Markers[3], StringComparison.Ordinal) && About(t))),
                ("singleton started", First(t => t.Contains(Markers[4], StringComparison.Ordinal))),
                ("recovered", recoveredLine.Text is null ? null : recoveredLine.At),
                ("first accepted", fault.FirstAccepted),
                ("dispatch resumed", fault.DispatchResumed),
                ("re-queued started elsewhere", restarts.Count > 0 ? restarts.Max() : null),
            ], recovery));
        }
        return result;
    }

    /// <summary>The report's lines: p50 / max of each phase over the kills, then each kill.</summary>
    public static IEnumerable<string> Text(IReadOnlyList<FailoverPhases> timeline)
    {
        if (timeline.Count == 0) yield break;
        yield return $"kill -9 of the scheduler's host, phase by phase (s from the kill, p50 / max over {timeline.Count}; from the processes' logs and the probes):";
        foreach (var phase in PhaseNames)
        {
            var times = timeline.Select(t => t.Phases.First(p => p.Phase == phase).At).ToList();
            yield return $"  {phase,-30} {Pair(times)}";
        }
        yield return $"  {"(recovery itself)",-30} {Pair(timeline.Select(t => t.Recovery).ToList())}";
        foreach (var one in timeline) yield return "  " + one;
    }

    private static string Pair(IReadOnlyList<TimeSpan?> times)
    {
        var known = times.Where(t => t is not null).Select(t => t!.Value.TotalSeconds).Order().ToList();
        if (known.Count == 0) return "not seen";
        var never = times.Count - known.Count;
        return $"{known[(known.Count - 1) / 2]:0.00} / {known[^1]:0.00}" + (never > 0 ? $" ({never} not seen)" : "");
    }

    /// <summary>A log line's time of day (the harness's UTC clock) as time since <paramref name="fault"/>, across midnight.</summary>
    private static TimeSpan Since(DateTimeOffset fault, TimeSpan timeOfDay)
    {
        var at = new DateTimeOffset(fault.UtcDateTime.Date + timeOfDay, TimeSpan.Zero);
        if (at < fault - TimeSpan.FromHours(12)) at = at.AddDays(1);
        else if (at > fault + TimeSpan.FromHours(12)) at = at.AddDays(-1);
        return at - fault;
    }
}
