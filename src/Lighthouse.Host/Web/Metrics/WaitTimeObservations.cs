using Lighthouse.Protocol;

namespace Lighthouse.Host.Web.Metrics;

/// <summary>New submit-to-start waits of one task name since the previous look: <see cref="Count"/> of them, averaging <see cref="MeanSeconds"/>.</summary>
public sealed record WaitObservation(string TaskName, int Count, double MeanSeconds);

/// <summary>
/// Turns the scheduler's cumulative wait-time statistics (count and mean per task name) into the waits that
/// are new since the previous call, for the dispatch latency histogram. The statistics carry no individual
/// waits, so the new ones are taken at their mean: count and sum are exact, and each scrape's waits land in
/// the bucket of their average (exact when one task finished in between). A count that went down means the
/// scheduler restarted with fresh statistics: everything it has counted since is new.
/// </summary>
public sealed class WaitTimeObservations
{
    private readonly Dictionary<string, (int Count, double TotalSeconds)> _seen = new(StringComparer.Ordinal);

    public IReadOnlyList<WaitObservation> Next(StatisticsView statistics)
    {
        var observations = new List<WaitObservation>();
        var restarted = statistics.TaskNames.Any(s => _seen.TryGetValue(s.TaskName, out var seen) && (s.WaitTime?.Count ?? 0) < seen.Count);
        if (restarted) _seen.Clear();
        foreach (var name in statistics.TaskNames)
        {
            if (name.WaitTime is not { } wait) continue;
            var total = wait.Mean.TotalSeconds * wait.Count;
            var (count, seenTotal) = _seen.GetValueOrDefault(name.TaskName);
            if (wait.Count > count)
            {
                var added = wait.Count - count;
                // The mean is rounded to a tick, so the difference of two totals may dip a hair below zero.
                var mean = Math.Max(0, (total - seenTotal) / added);
                observations.Add(new WaitObservation(name.TaskName, added, mean));
            }
            _seen[name.TaskName] = (wait.Count, total);
        }
        return observations;
    }
}
