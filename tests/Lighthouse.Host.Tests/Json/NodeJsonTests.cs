using System.Text.Json;
using Lighthouse.Host.Json;

namespace Lighthouse.Host.Tests.Json;

public class NodeJsonTests
{
    [Fact]
    public void Reads_the_name_and_the_resources_in_declared_order()
    {
        var node = Read("""{"name": "n1", "resources": {"mem": 8, "cpu": 4, "spiders": "-Infinity", "ssd": 0}}""");
        Assert.Equal("n1", node.Name);
        Assert.Equal(["mem", "cpu", "spiders", "ssd"], node.Resources.Keys);
        Assert.Equal([8.0, 4.0, double.NegativeInfinity, 0.0], node.Resources.Values);
    }

    [Theory]
    [InlineData("""{"name": "n1"}""")]
    [InlineData("""{"name": "n1", "resources": null}""")]
    [InlineData("""{"name": "n1", "resources": {}}""")]
    public void A_node_without_resources_has_none(string json)
        => Assert.Empty(Read(json).Resources);

    [Theory]
    [InlineData("[1]", "nodes[2]: expected a node object")]
    [InlineData("\"n1\"", "nodes[2]: expected a node object")]
    [InlineData("""{"resources": {}}""", "nodes[2]: missing field \"name\"")]
    [InlineData("""{"name": 7}""", "nodes[2]: \"name\" must be a string, found 7")]
    [InlineData("""{"name": ""}""", "nodes[2]: \"name\" is empty")]
    [InlineData("""{"name": "n1", "name": "n2"}""", "nodes[2]: field \"name\" appears twice")]
    [InlineData("""{"name": "n1", "resource": {"cpu": 4}}""", "node \"n1\" (nodes[2]): unknown field \"resource\"")]
    [InlineData("""{"name": "n1", "resources": [4]}""", "node \"n1\" (nodes[2]): \"resources\" must be an object")]
    [InlineData("""{"name": "n1", "resources": {"cpu": "NaN"}}""", "node \"n1\" (nodes[2]): resource \"cpu\" is \"NaN\", not a quantity")]
    [InlineData("""{"name": "n1", "resources": {"cpu": true}}""", "node \"n1\" (nodes[2]): resource \"cpu\" is true, not a quantity")]
    [InlineData("""{"name": "n1", "resources": {"cpu": 4, "cpu": 2}}""", "node \"n1\" (nodes[2]): resource \"cpu\" appears twice")]
    [InlineData("""{"name": "n1", "resources": {"": 4}}""", "node \"n1\" (nodes[2]): \"resources\" has a resource with an empty name")]
    public void Refuses_a_bad_node_naming_it_and_the_problem(string json, string expected)
    {
        var error = Assert.Throws<JsonModelException>(() => Read(json));
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void An_unknown_field_message_lists_the_fields_there_are()
    {
        var error = Assert.Throws<JsonModelException>(() => Read("""{"name": "n1", "resources": {}, "zone": "a"}"""));
        Assert.Equal("node \"n1\" (nodes[2]): unknown field \"zone\"; the fields are \"name\", \"resources\"", error.Message);
    }

    private static Placement.NodeSpec Read(string json) => NodeJson.Read(JsonElement.Parse(json), "nodes[2]");
}
