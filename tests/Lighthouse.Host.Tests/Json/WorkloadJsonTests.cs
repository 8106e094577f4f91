using System.Text.Json;
using Lighthouse.Host.Json;
using Lighthouse.Placement;

namespace Lighthouse.Host.Tests.Json;

public class WorkloadJsonTests
{
    [Fact]
    public void Reads_every_field()
    {
        var workload = Read("""
            {"name": "w1", "requirements": {"cpu": 1, "damp": -1, "spiders": "Infinity"},
             "immunities": ["spiders", "damp"], "aversion_groups": ["g"]}
            """);
        Assert.Equal("w1", workload.Name);
        Assert.Equal(["cpu", "damp", "spiders"], workload.Requirements.Keys);
        Assert.Equal([1.0, -1.0, double.PositiveInfinity], workload.Requirements.Values);
        Assert.Equal(new HashSet<string> { "spiders", "damp" }, workload.Immunities);
        Assert.Equal(new HashSet<string> { "g" }, workload.AversionGroups);
    }

    [Fact]
    public void Only_the_name_is_required()
    {
        var workload = Read("""{"name": "w1"}""");
        Assert.Empty(workload.Requirements);
        Assert.Null(workload.Immunities);
        Assert.Null(workload.AversionGroups);
    }

    [Fact]
    public void Null_optional_fields_mean_absent()
    {
        var workload = Read("""{"name": "w1", "requirements": null, "immunities": null, "aversion_groups": null}""");
        Assert.Empty(workload.Requirements);
        Assert.Null(workload.Immunities);
        Assert.Null(workload.AversionGroups);
    }

    [Fact]
    public void A_repeated_immunity_is_one_immunity()
        => Assert.Equal(new HashSet<string> { "spiders" }, Read("""{"name": "w1", "immunities": ["spiders", "spiders"]}""").Immunities);

    [Fact]
    public void A_misspelt_field_is_refused_rather_than_dropped()
    {
        var error = Assert.Throws<JsonModelException>(() => Read("""{"name": "w4", "requirments": {"cpu": 1}}"""));
        Assert.Equal(
            "workload \"w4\" (batches[0][3]): unknown field \"requirments\"; the fields are \"name\", \"requirements\", \"immunities\", \"aversion_groups\"",
            error.Message);
        Assert.Equal("workload \"w4\" (batches[0][3])", error.Location);
    }

    [Theory]
    [InlineData("7", "batches[0][3]: expected a workload object")]
    [InlineData("""{"requirements": {}}""", "batches[0][3]: missing field \"name\"")]
    [InlineData("""{"name": null}""", "batches[0][3]: missing field \"name\"")]
    [InlineData("""{"name": ["w4"]}""", "batches[0][3]: \"name\" must be a string, found an array")]
    [InlineData("""{"name": "w4", "requirements": {"cpu": "abc"}}""", "workload \"w4\" (batches[0][3]): requirement \"cpu\" is \"abc\", not a quantity")]
    [InlineData("""{"name": "w4", "requirements": {"cpu": null}}""", "workload \"w4\" (batches[0][3]): requirement \"cpu\" is null, not a quantity")]
    [InlineData("""{"name": "w4", "requirements": 1}""", "workload \"w4\" (batches[0][3]): \"requirements\" must be an object")]
    [InlineData("""{"name": "w4", "immunities": "spiders"}""", "workload \"w4\" (batches[0][3]): \"immunities\" must be an array of strings, found \"spiders\"")]
    [InlineData("""{"name": "w4", "immunities": ["spiders", 3]}""", "workload \"w4\" (batches[0][3]): \"immunities\"[1] must be a string, found 3")]
    [InlineData("""{"name": "w4", "aversion_groups": [""]}""", "workload \"w4\" (batches[0][3]): \"aversion_groups\"[0] is empty")]
    [InlineData("""{"name": "w4", "aversion_groups": {"g": 1}}""", "workload \"w4\" (batches[0][3]): \"aversion_groups\" must be an array of strings, found an object")]
    public void Refuses_a_bad_workload_naming_it_and_the_problem(string json, string expected)
    {
        var error = Assert.Throws<JsonModelException>(() => Read(json));
        Assert.StartsWith(expected, error.Message);
    }

    private static Workload Read(string json) => WorkloadJson.Read(JsonElement.Parse(json), "batches[0][3]");
}
