using System.Text.Json.Nodes;
using Lighthouse.Host.Cli;
using Lighthouse.Host.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Tests.Json;

/// <summary>A worker with lanes in <c>lighthouse nodes</c> (text and JSON, which <c>GET /api/nodes</c> answers too): each lane's slots, use, range and nice.</summary>
public sealed class LaneOutputTests
{
    private static readonly NodeView Laned = new("w", WorkerNodeState.Reachable, new Dictionary<string, double>(), new Dictionary<string, double>(),
        12, 9, ["task-1", "task-2", "task-3"], ["render"], new PriorityRange(0, 1000), DateTimeOffset.UnixEpoch,
        [new LaneView(4, 2, new PriorityRange(0, 9), 10), new LaneView(4, 3, new PriorityRange(10, 99), null), new LaneView(4, 4, new PriorityRange(100, 1000), null)]);

    [Fact]
    public void The_json_has_each_lane_with_its_used_slots_range_and_nice()
    {
        var lanes = JsonNode.Parse(NodesJson.Format(new NodesView([Laned])))!["nodes"]![0]!["lanes"]!.AsArray();

        Assert.Equal(
            """[{"slots":4,"free_slots":2,"used_slots":2,"priorities":{"min":0,"max":9},"nice":10},{"slots":4,"free_slots":3,"used_slots":1,"priorities":{"min":10,"max":99},"nice":null},{"slots":4,"free_slots":4,"used_slots":0,"priorities":{"min":100,"max":1000},"nice":null}]""",
            lanes.ToJsonString());
    }

    [Fact]
    public void A_node_without_lanes_has_no_lanes_field()
    {
        var node = JsonNode.Parse(NodesJson.Format(new NodesView([Laned with { Lanes = null }])))!["nodes"]![0]!.AsObject();

        Assert.False(node.ContainsKey("lanes"));
    }

    [Fact]
    public void The_text_has_a_row_per_lane_under_its_node()
    {
        var lines = NodesCommand.Text(new NodesView([Laned])).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^w\s+reachable\s+9/12\s+3\s+0\.\.1000\s+render", lines[1]);
        Assert.Matches(@"^\s+lane 1\s+nice 10\s+2/4\s+2\s+0\.\.9\s*$", lines[2]);
        Assert.Matches(@"^\s+lane 2\s+3/4\s+1\s+10\.\.99\s*$", lines[3]);
        Assert.Matches(@"^\s+lane 3\s+4/4\s+0\s+100\.\.1000\s*$", lines[4]);
    }
}
