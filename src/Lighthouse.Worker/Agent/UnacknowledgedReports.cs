using Lighthouse.Protocol;

namespace Lighthouse.Worker.Agent;

/// <summary>
/// Final reports sent to the contact and not yet acknowledged (<see cref="ReportsAcknowledged"/>), by task id, in the
/// order they were sent: what the agent sends again, and names as running, should the contact turn out to be gone.
/// An acknowledgement removes its reports at once; <see cref="ExpireBefore"/> bounds what a contact that never
/// acknowledges leaves behind.
/// </summary>
internal sealed class UnacknowledgedReports
{
    private readonly Dictionary<string, (TimeSpan At, IWorkerReport Report)> _reports = new(StringComparer.Ordinal);
    // Send order, for expiry; an entry whose report was acknowledged or sent again later is skipped when it comes up.
    private readonly Queue<(TimeSpan At, string TaskId)> _order = new();

    public int Count => _reports.Count;

    public bool Contains(string taskId) => _reports.ContainsKey(taskId);

    public void Add(IWorkerReport report, TimeSpan at)
    {
        _reports[report.TaskId] = (at, report);
        _order.Enqueue((at, report.TaskId));
    }

    public void Remove(IEnumerable<string> taskIds)
    {
        foreach (var taskId in taskIds) _reports.Remove(taskId);
        // Acknowledgements come in about the order reports left, so dropping settled entries from the front keeps the
        // queue as short as what is really in flight.
        while (_order.TryPeek(out var oldest) && !IsCurrent(oldest)) _order.Dequeue();
    }

    /// <summary>Forgets reports sent before <paramref name="cutoff"/>.</summary>
    public void ExpireBefore(TimeSpan cutoff)
    {
        while (_order.TryPeek(out var oldest) && oldest.At < cutoff)
        {
            _order.Dequeue();
            if (IsCurrent(oldest)) _reports.Remove(oldest.TaskId);
        }
    }

    private bool IsCurrent((TimeSpan At, string TaskId) sent) => _reports.TryGetValue(sent.TaskId, out var entry) && entry.At == sent.At;

    /// <summary>Every report, in the order sent, leaving none.</summary>
    public IReadOnlyList<IWorkerReport> TakeAll()
    {
        var all = _reports.Values.OrderBy(e => e.At).Select(e => e.Report).ToList();
        _reports.Clear();
        _order.Clear();
        return all;
    }
}
