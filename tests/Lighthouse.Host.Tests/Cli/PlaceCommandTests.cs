using System.Text.Json;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Cli;

public class PlaceCommandTests
{
    private const string Tiny = """
        {"strategy": "prioritized",
         "nodes": [{"name": "n1", "resources": {"cpu": 4, "spiders": "-Infinity"}}],
         "batches": [[{"name": "w1", "requirements": {"cpu": 1}, "immunities": ["spiders"]},
                      {"name": "w2", "requirements": {"cpu": 1}}]]}
        """;

    [Fact]
    public void Places_the_datacenter_example_tightest_node_first()
    {
        var run = CommandLineRun.Of("place", RepositoryPaths.Example("datacenter.json"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        using var outcome = JsonDocument.Parse(run.Stdout);
        var root = outcome.RootElement;
        Assert.Equal(["assignments", "final_resources", "unplaced"], root.EnumerateObject().Select(p => p.Name));
        var firstBatch = root.GetProperty("assignments")[0];
        Assert.Equal(["web-1", "web-2", "web-3"], firstBatch.EnumerateObject().Select(p => p.Name));
        Assert.All(firstBatch.EnumerateObject(), p => Assert.Equal("node-3", p.Value.GetString()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("assignments")[1].GetProperty("trainer").ValueKind);
        var resources = root.GetProperty("final_resources");
        Assert.Equal(["node-1", "node-2", "node-3"], resources.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["cpu", "mem", "disk"], resources.GetProperty("node-3").EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, resources.GetProperty("node-3").GetProperty("cpu").GetDouble());
        Assert.Equal(2, resources.GetProperty("node-3").GetProperty("mem").GetDouble());
        Assert.Equal(30, resources.GetProperty("node-3").GetProperty("disk").GetDouble());
        Assert.Equal(8, resources.GetProperty("node-1").GetProperty("cpu").GetDouble());
        var unplaced = Assert.Single(root.GetProperty("unplaced").EnumerateObject());
        Assert.Equal("trainer", unplaced.Name);
        Assert.StartsWith("0/3 nodes fit", unplaced.Value.GetString());
        Assert.Contains("\"gpu\"", unplaced.Value.GetString());
    }

    [Fact]
    public void Reads_the_scenario_from_stdin_given_a_dash()
    {
        var run = CommandLineRun.WithInput(Tiny, "place", "-");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        using var outcome = JsonDocument.Parse(run.Stdout);
        var batch = outcome.RootElement.GetProperty("assignments")[0];
        Assert.Equal("n1", batch.GetProperty("w1").GetString());
        Assert.Equal(JsonValueKind.Null, batch.GetProperty("w2").ValueKind);
        var n1 = outcome.RootElement.GetProperty("final_resources").GetProperty("n1");
        Assert.Equal(3, n1.GetProperty("cpu").GetDouble());
        Assert.Equal("-Infinity", n1.GetProperty("spiders").GetString());
        Assert.Contains("\"spiders\"", outcome.RootElement.GetProperty("unplaced").GetProperty("w2").GetString());
    }

    [Fact]
    public void Prints_the_same_bytes_for_the_same_scenario()
        => Assert.Equal(CommandLineRun.WithInput(Tiny, "place", "-").Stdout, CommandLineRun.WithInput(Tiny, "place", "-").Stdout);

    [Fact]
    public void Quantities_come_out_with_round_trip_precision()
    {
        var run = CommandLineRun.WithInput("""
            {"strategy": "prioritized", "nodes": [{"name": "n1", "resources": {"cpu": 0.3}}],
             "batches": [[{"name": "a", "requirements": {"cpu": 0.1}}], [{"name": "b", "requirements": {"cpu": 0.2}}]]}
            """, "place", "-");

        Assert.Equal(0, run.ExitCode);
        // 0.3 - 0.1 is 0.19999999999999998 in doubles, so b (0.2) does not fit: the engine's reference behaviour.
        Assert.Contains("\"cpu\": 0.19999999999999998", run.Stdout);
        Assert.Contains("\"b\": null", run.Stdout);
    }

    [Fact]
    public void A_workload_refused_by_one_batch_and_placed_by_a_later_one_is_not_unplaced()
    {
        var run = CommandLineRun.WithInput("""
            {"strategy": "prioritized", "nodes": [{"name": "n1", "resources": {"cpu": 1}}],
             "batches": [[{"name": "big", "requirements": {"cpu": 2}}, {"name": "late", "requirements": {"cpu": 2}}],
                         [{"name": "late", "requirements": {"cpu": 1}}]]}
            """, "place", "-");

        Assert.Equal(0, run.ExitCode);
        using var outcome = JsonDocument.Parse(run.Stdout);
        Assert.Equal("n1", outcome.RootElement.GetProperty("assignments")[1].GetProperty("late").GetString());
        Assert.Equal(["big"], outcome.RootElement.GetProperty("unplaced").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_missing_file_is_bad_input_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lighthouse-missing-{Guid.NewGuid():N}.json");
        var run = CommandLineRun.Of("place", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Equal($"lighthouse place: cannot read \"{path}\": no such file{Environment.NewLine}", run.Stderr);
    }

    [Fact]
    public void A_directory_is_bad_input_naming_the_path()
    {
        var run = CommandLineRun.Of("place", RepositoryPaths.Examples);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains($"\"{RepositoryPaths.Examples}\": it is a directory", run.Stderr);
    }

    [Fact]
    public void A_bad_scenario_file_is_named_in_the_message()
    {
        using var file = new TempFile("""{"strategy": "prioritized", "nodes": [{"name": "n1", "resources": {"cpu": "lots"}}], "batches": []}""");
        var run = CommandLineRun.Of("place", file.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Equal(
            $"lighthouse place: {file.Path}: node \"n1\" (nodes[0]): resource \"cpu\" is \"lots\", not a quantity; expected a number, \"Infinity\" or \"-Infinity\"{Environment.NewLine}",
            run.Stderr);
    }

    public static TheoryData<string, string[]> BadScenarios => new()
    {
        { "", ["empty input"] },
        { "{\"strategy\": ", ["not valid JSON at line 1"] },
        { "{\"strategy\": \"prioritized\", \"nodes\": [], \"batches\": []} []", ["not valid JSON at line 1, byte 57: '[' is invalid after a single JSON value"] },
        { """{"strategy": "prioritized", "nodes": [], "batches": [[{"name": "w4", "requirments": {"cpu": 1}}]]}""", ["workload \"w4\" (batches[0][0])", "unknown field \"requirments\""] },
        { """{"strategy": "prioritized", "nodes": [{"name": "n1", "resources": {"cpu": "NaN"}}], "batches": []}""", ["node \"n1\" (nodes[0])", "resource \"cpu\" is \"NaN\""] },
        { """{"strategy": "prioritized", "nodes": [], "batches": [[{"name": "w1", "requirements": {"cpu": true}}]]}""", ["workload \"w1\" (batches[0][0])", "requirement \"cpu\" is true"] },
        { """{"strategy": "fifo", "nodes": [], "batches": []}""", ["fifo"] },
        { """{"strategy": "prioritized", "nodes": [{"name": "n1"}, {"name": "n1"}], "batches": []}""", ["n1"] },
        { """{"strategy": "prioritized", "nodes": [], "batches": [[{"name": "w1"}, {"name": "w1"}]]}""", ["batches[0]", "w1"] },
        { """{"strategy": "prioritized", "nodes": [{"name": "n1"}], "batches": [[{"name": "w1"}], [{"name": "w1"}]]}""", ["batches[1]", "w1"] },
        { """{"strategy": "prioritized", "rubric": {"cpu": 1}, "nodes": [], "batches": []}""", ["rubric"] },
        { """{"strategy": "bin-pack", "nodes": [], "batches": []}""", ["rubric"] },
    };

    [Theory]
    [MemberData(nameof(BadScenarios))]
    public void A_bad_scenario_exits_2_with_one_message_on_stderr_and_nothing_on_stdout(string scenario, string[] fragments)
    {
        var run = CommandLineRun.WithInput(scenario, "place", "-");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        var message = Assert.Single(run.Stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lighthouse place: stdin: ", message);
        foreach (var fragment in fragments)
            Assert.Contains(fragment, message);
    }
}
