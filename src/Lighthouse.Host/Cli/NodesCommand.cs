using System.CommandLine;
using System.Globalization;
using Lighthouse.Host.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Cli;

/// <summary><c>lighthouse nodes</c>: lists the worker nodes registered with the scheduler.</summary>
public static class NodesCommand
{
    private const string Name = "nodes";
    private const string Description = "List the worker nodes registered with the scheduler.";

    public const string Details =
        """
        Text: one row per node with its state, free/total slots, running task count, priority range, task names and
        free/declared resources; a node with lanes has one more row per lane under it, with the lane's free/total slots,
        its priorities and the nice value of its processes. With --json:
          {"nodes": [{"name": "...", "state": "reachable" | "unreachable", "slots": 4, "free_slots": 3,
                      "running_tasks": ["id", ...], "task_names": ["echo", ...], "priorities": {"min": 0, "max": 9},
                      "lanes": [{"slots": 4, "free_slots": 3, "used_slots": 1, "priorities": {"min": 0, "max": 9},
                                 "nice": 10 | null}, ...] (only a node with lanes),
                      "capacity": {"cpu": 4}, "free": {"cpu": 3}, "registered_at": "2025-01-31T09:30:00.125Z"}]}
        Infinite quantities are the strings "Infinity" and "-Infinity".


        """ + ClientExitCodes.Help;

    public static Command Create() => ClientCommand.Build(new Command(Name, Description), async call =>
    {
        var view = await call.Lighthouse.GetNodesAsync(call.Cancellation).ConfigureAwait(false);
        call.Print(() => NodesJson.Format(view), () => Text(view));
        return ExitCodes.Success;
    });

    public static string Text(NodesView view)
    {
        if (view.Nodes.Count == 0) return "no worker nodes are registered" + Environment.NewLine;
        return TextTable.Format(
            ["NODE", "STATE", "SLOTS", "RUNNING", "PRIORITIES", "TASKS", "RESOURCES (free/declared)"],
            view.Nodes.SelectMany(node => Rows(node)));
    }

    private static IEnumerable<IReadOnlyList<string>> Rows(NodeView node)
    {
        yield return
        [
            node.Node,
            NodesJson.StateName(node.State),
            $"{node.FreeSlots}/{node.Slots}",
            node.RunningTasks.Count.ToString(CultureInfo.InvariantCulture),
            Priorities(node.Priorities),
            string.Join(",", node.TaskNames),
            Resources(node),
        ];
        for (var index = 0; index < (node.Lanes?.Count ?? 0); index++)
        {
            var lane = node.Lanes![index];
            yield return
            [
                $"  lane {(index + 1).ToString(CultureInfo.InvariantCulture)}",
                lane.Nice is { } nice ? $"nice {nice.ToString(CultureInfo.InvariantCulture)}" : "",
                $"{lane.FreeSlots}/{lane.Slots}",
                (lane.Slots - lane.FreeSlots).ToString(CultureInfo.InvariantCulture),
                Priorities(lane.Priorities),
                "",
                "",
            ];
        }
    }

    private static string Resources(NodeView node) => node.Capacity.Count == 0
        ? "-"
        : string.Join(" ", node.Capacity.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => $"{c.Key}={Quantity(node.Free.GetValueOrDefault(c.Key, c.Value))}/{Quantity(c.Value)}"));

    private static string Priorities(PriorityRange range) =>
        range == PriorityRange.All ? "all"
        : range.Min == int.MinValue ? $"..{range.Max}"
        : range.Max == int.MaxValue ? $"{range.Min}.."
        : $"{range.Min}..{range.Max}";

    private static string Quantity(double quantity) =>
        double.IsPositiveInfinity(quantity) ? QuantityJson.PositiveInfinity
        : double.IsNegativeInfinity(quantity) ? QuantityJson.NegativeInfinity
        : quantity.ToString("R", CultureInfo.InvariantCulture);
}
