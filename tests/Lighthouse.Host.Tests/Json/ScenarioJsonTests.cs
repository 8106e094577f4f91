using Lighthouse.Host.Json;
using Lighthouse.Placement;

namespace Lighthouse.Host.Tests.Json;

public class ScenarioJsonTests
{
    private const string Nodes = """[{"name": "n1", "resources": {"cpu": 4}}]""";
    private const string Batches = """[[{"name": "w1", "requirements": {"cpu": 1}}]]""";

    [Fact]
    public void Reads_a_whole_scenario()
    {
        var scenario = ScenarioJson.Parse("""
            {"description": "two batches",
             "strategy": "bin-pack", "rubric": {"cpu": 1, "mem": 0.5},
             "nodes": [{"name": "n1", "resources": {"cpu": 4, "spiders": "-Infinity"}}, {"name": "n2"}],
             "batches": [[{"name": "w1", "requirements": {"cpu": 1}}, {"name": "w2"}], []]}
            """);
        Assert.Equal(StrategyKind.BinPack, scenario.Strategy);
        Assert.Equal("two batches", scenario.Description);
        Assert.Equal(["cpu", "mem"], scenario.Rubric!.Keys);
        Assert.Equal([1.0, 0.5], scenario.Rubric.Values);
        Assert.Equal(["n1", "n2"], scenario.Nodes.Select(n => n.Name));
        Assert.Equal(double.NegativeInfinity, scenario.Nodes[0].Resources["spiders"]);
        Assert.Equal(2, scenario.Batches.Count);
        Assert.Equal(["w1", "w2"], scenario.Batches[0].Select(w => w.Name));
        Assert.Empty(scenario.Batches[1]);
    }

    [Theory]
    [InlineData("prioritized", StrategyKind.Prioritized)]
    [InlineData("round-robin", StrategyKind.RoundRobin)]
    public void Reads_each_strategy_without_a_rubric(string name, StrategyKind expected)
    {
        var scenario = ScenarioJson.Parse($$"""{"strategy": "{{name}}", "nodes": {{Nodes}}, "batches": {{Batches}}}""");
        Assert.Equal(expected, scenario.Strategy);
        Assert.Null(scenario.Rubric);
    }

    [Fact]
    public void A_byte_order_mark_is_not_content()
        => Assert.Single(ScenarioJson.Parse($$"""{{'\uFEFF'}}{"strategy": "prioritized", "nodes": {{Nodes}}, "batches": {{Batches}}}""").Nodes);

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t ")]
    public void Empty_input_is_refused(string json)
        => Assert.StartsWith("empty input", Assert.Throws<JsonModelException>(() => ScenarioJson.Parse(json)).Message);

    [Fact]
    public void Malformed_JSON_is_refused_with_its_line_and_byte()
    {
        var error = Assert.Throws<JsonModelException>(() => ScenarioJson.Parse("{\n  \"strategy\": \"prioritized\",\n  \"nodes\": }"));
        Assert.StartsWith("not valid JSON at line 3, byte 12: ", error.Message);
        Assert.Contains("'}' is an invalid start of a value", error.Message);
    }

    [Theory]
    [InlineData("[]", "scenario: expected a scenario object")]
    [InlineData("""{"strategy": "prioritized", "nodes": [], "batches": [], "stratgy": "x"}""", "scenario: unknown field \"stratgy\"; the fields are \"strategy\", \"rubric\", \"nodes\", \"batches\", \"description\"")]
    [InlineData("""{"nodes": [], "batches": []}""", "scenario: missing field \"strategy\"")]
    [InlineData("""{"strategy": "prioritized", "batches": []}""", "scenario: missing field \"nodes\"")]
    [InlineData("""{"strategy": "prioritized", "nodes": []}""", "scenario: missing field \"batches\"")]
    [InlineData("""{"strategy": 1, "nodes": [], "batches": []}""", "scenario: \"strategy\" must be a string, found 1")]
    [InlineData("""{"strategy": "prioritized", "nodes": {"n1": {}}, "batches": []}""", "scenario: \"nodes\" must be an array of nodes, found an object")]
    [InlineData("""{"strategy": "prioritized", "nodes": [], "batches": [{"name": "w1"}]}""", "batches[0]: expected a batch (an array of workloads), found an object; \"batches\" nests them")]
    [InlineData("""{"strategy": "prioritized", "nodes": [], "batches": 3}""", "scenario: \"batches\" must be an array of batches")]
    [InlineData("""{"strategy": "bin-pack", "rubric": {"cpu": "heavy"}, "nodes": [], "batches": []}""", "scenario: weight \"cpu\" is \"heavy\", not a quantity")]
    [InlineData("""{"strategy": "bin-pack", "rubric": [1], "nodes": [], "batches": []}""", "scenario: \"rubric\" must be an object of weight name → quantity")]
    [InlineData("""{"strategy": "prioritized", "nodes": [], "batches": [], "description": 5}""", "scenario: \"description\" must be a string, found 5")]
    [InlineData("""{"strategy": "prioritized", "nodes": [{"name": "n1"}, {"name": "n2", "resources": {"cpu": "x"}}], "batches": []}""", "node \"n2\" (nodes[1]): resource \"cpu\" is \"x\"")]
    [InlineData("""{"strategy": "prioritized", "nodes": [], "batches": [[], [{"name": "a"}, {"name": "b", "requirments": {}}]]}""", "workload \"b\" (batches[1][1]): unknown field \"requirments\"")]
    public void Refuses_a_bad_scenario_naming_where(string json, string expected)
        => Assert.StartsWith(expected, Assert.Throws<JsonModelException>(() => ScenarioJson.Parse(json)).Message);

    [Fact]
    public void An_unknown_strategy_is_refused_by_the_engine_naming_it()
    {
        var error = Assert.Throws<PlacementException>(() => ScenarioJson.Parse("""{"strategy": "fifo", "nodes": [], "batches": []}"""));
        Assert.Contains("fifo", error.Message);
    }
}
