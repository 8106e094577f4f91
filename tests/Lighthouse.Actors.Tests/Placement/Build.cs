using Lighthouse.Placement;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>Short constructors for nodes, workloads and distributors, so each test reads like its scenario.</summary>
internal static class Build
{
    public static NodeSpec Node(string name, params (string Key, double Quantity)[] resources)
        => new(name, resources.ToDictionary(entry => entry.Key, entry => entry.Quantity));

    public static Workload Load(string name, params (string Key, double Amount)[] requirements)
        => new(name, requirements.ToDictionary(entry => entry.Key, entry => entry.Amount));

    public static Workload Immune(this Workload workload, params string[] keys) => workload with { Immunities = keys.ToHashSet() };

    public static Workload Averse(this Workload workload, params string[] groups) => workload with { AversionGroups = groups.ToHashSet() };

    public static Distributor Prioritized(params NodeSpec[] nodes) => Distributor.Create(StrategyKind.Prioritized, nodes);

    public static Distributor RoundRobin(params NodeSpec[] nodes) => Distributor.Create(StrategyKind.RoundRobin, nodes);

    public static Distributor BinPack(IReadOnlyDictionary<string, double> rubric, params NodeSpec[] nodes)
        => Distributor.Create(StrategyKind.BinPack, nodes, rubric);

    public static Dictionary<string, double> Rubric(params (string Key, double Weight)[] weights)
        => weights.ToDictionary(entry => entry.Key, entry => entry.Weight);

    /// <summary>Places a batch and returns the assignments in input order, space-separated, "-" for unplaced.</summary>
    public static string PlaceAll(this Distributor distributor, params Workload[] batch)
        => Show(distributor.Place(batch).Assignments);

    /// <summary>Assignments as one readable string: node names space-separated, "-" for unplaced.</summary>
    public static string Show(IEnumerable<string?> assignments) => string.Join(" ", assignments.Select(node => node ?? "-"));

    /// <summary>Places one workload and returns its node (or null).</summary>
    public static string? PlaceOne(this Distributor distributor, Workload workload, NodeFilter? filter = null)
        => distributor.Place([workload], filter).Assignments[0];

    /// <summary>The explanation text of a workload left unplaced by a one-workload call.</summary>
    public static string Why(this Distributor distributor, Workload workload, NodeFilter? filter = null)
    {
        var result = distributor.Place([workload], filter);
        Assert.Null(result.Assignments[0]);
        return result.Unplaced[workload.Name].ToString();
    }

    /// <summary>A standard strategy factory, so one test body can run under every strategy.</summary>
    public static Distributor Create(StrategyKind strategy, params NodeSpec[] nodes)
        => Distributor.Create(strategy, nodes, strategy == StrategyKind.BinPack ? Rubric(("cpu", 1)) : null);
}
