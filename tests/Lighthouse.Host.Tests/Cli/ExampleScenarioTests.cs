using System.Text.Json;

namespace Lighthouse.Host.Tests.Cli;

/// <summary>Every shipped example parses and places; the ones the README describes do what it says.</summary>
public class ExampleScenarioTests
{
    public static TheoryData<string> Examples
        => new(Directory.GetFiles(RepositoryPaths.Examples, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_example_places_something_without_error(string file)
    {
        var run = CommandLineRun.Of("place", RepositoryPaths.Example(file));

        Assert.Equal("", run.Stderr);
        Assert.Equal(0, run.ExitCode);
        using var outcome = JsonDocument.Parse(run.Stdout);
        Assert.Contains(
            outcome.RootElement.GetProperty("assignments").EnumerateArray().SelectMany(batch => batch.EnumerateObject()),
            assignment => assignment.Value.ValueKind == JsonValueKind.String);
    }

    [Fact]
    public void The_documented_examples_are_shipped_and_listed()
    {
        var readme = File.ReadAllText(RepositoryPaths.Example("README.md"));
        foreach (var file in Directory.GetFiles(RepositoryPaths.Examples, "*.json").Select(Path.GetFileName))
            Assert.Contains($"`{file}`", readme);
        foreach (var file in new[] { "datacenter.json", "princes.json", "rivalry.json", "wards.json", "round-robin.json" })
            Assert.True(File.Exists(RepositoryPaths.Example(file)), file);
    }

    [Fact]
    public void Round_robin_keeps_its_position_across_batches_and_past_a_refusal()
    {
        var (assignments, unplaced) = Place("round-robin.json");
        Assert.Equal(["node-1", "node-2", "node-3", "node-1", null, "node-2"], assignments.Select(a => a.Node));
        Assert.Equal(["huge"], unplaced);
    }

    [Fact]
    public void The_prince_takes_only_the_first_princess()
    {
        var (assignments, unplaced) = Place("princes.json");
        Assert.Equal(["prince", null, null], assignments.Select(a => a.Node));
        Assert.Equal(["princess-2", "princess-3"], unplaced);
    }

    [Fact]
    public void Rivals_go_to_different_houses_until_they_must_share()
    {
        var (assignments, unplaced) = Place("rivalry.json");
        Assert.Equal(
            [("harry", "gryffindor"), ("draco", "slytherin"), ("neville", "gryffindor"), ("goyle", "slytherin"), ("luna", null)],
            assignments);
        Assert.Equal(["luna"], unplaced);
    }

    [Fact]
    public void Wards_shortcomings_immunities_and_tags_steer_the_workloads()
    {
        var (assignments, unplaced) = Place("wards.json");
        Assert.Equal(
            [("exterminator", "crypt"), ("cook", "kitchen"), ("needs-ssd", "kitchen"), ("tourist", null),
             ("dehumidifier", "attic"), ("hiker", "attic"), ("gardener", null)],
            assignments);
        Assert.Equal(["tourist", "gardener"], unplaced);
        var tourist = Explanation("wards.json", "tourist");
        Assert.StartsWith("0/3 nodes fit", tourist);
        Assert.Contains("ward \"spiders\"", tourist);
        Assert.Contains("shortcoming \"damp\"", tourist);
    }

    private static string Explanation(string file, string workload)
    {
        using var outcome = JsonDocument.Parse(CommandLineRun.Of("place", RepositoryPaths.Example(file)).Stdout);
        return outcome.RootElement.GetProperty("unplaced").GetProperty(workload).GetString()!;
    }

    private static (List<(string Workload, string? Node)> Assignments, List<string> Unplaced) Place(string file)
    {
        var run = CommandLineRun.Of("place", RepositoryPaths.Example(file));
        Assert.Equal(0, run.ExitCode);
        using var outcome = JsonDocument.Parse(run.Stdout);
        var assignments = outcome.RootElement.GetProperty("assignments").EnumerateArray()
            .SelectMany(batch => batch.EnumerateObject())
            .Select(a => (a.Name, a.Value.GetString()))
            .ToList();
        var unplaced = outcome.RootElement.GetProperty("unplaced").EnumerateObject().Select(p => p.Name).ToList();
        return (assignments, unplaced);
    }
}
