using Lighthouse.Protocol;
using Lighthouse.Worker.Cli;

namespace Lighthouse.Worker.Tests.Cli;

/// <summary><c>--lane</c>, <c>lighthouse.worker.lanes</c> and <see cref="WorkerHubOptions.Lane"/>: what they read and what they refuse.</summary>
public sealed class WorkerLaneOptionsTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"lighthouse-worker-lanes-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(_path);

    private string Write(string hocon)
    {
        File.WriteAllText(_path, hocon);
        return _path;
    }

    private static string Refusal(params string[] args) => Assert.Throws<WorkerUsageException>(() => WorkerCommandLine.Parse(args)).Message;

    [Fact]
    public void PyLoadBalancers_documented_example_gives_three_lanes_and_a_hub_of_their_slots_and_span()
    {
        var launch = WorkerCommandLine.Parse(["--lane", "4:0:9:10", "--lane", "4:10:99", "--lane", "4:100:1000"]);

        Assert.Equal(
            [new WorkerLane(4, new PriorityRange(0, 9), 10), new WorkerLane(4, new PriorityRange(10, 99)), new WorkerLane(4, new PriorityRange(100, 1000))],
            launch.Lanes);
        var hub = launch.CreateHub();
        Assert.Equal((12, new PriorityRange(0, 1000)), (hub.Slots, hub.Priorities));
        Assert.Equal(launch.Lanes, hub.Lanes);
        var registration = hub.Registration("w");
        Assert.Equal(launch.Lanes, registration.Lanes);
        Assert.Equal(12, registration.Slots);
    }

    [Fact]
    public void An_empty_side_has_no_bound_and_negative_priorities_and_nice_values_read()
    {
        var launch = WorkerCommandLine.Parse(["--lane", "2::-1:-5", "--lane", "1:0:"]);

        Assert.Equal([new WorkerLane(2, new PriorityRange(int.MinValue, -1), -5), new WorkerLane(1, new PriorityRange(0, int.MaxValue))], launch.Lanes);
    }

    [Fact]
    public void A_worker_without_lanes_has_none_and_registers_as_before()
    {
        var hub = WorkerCommandLine.Parse(["--slots", "3", "--priority-range", "0:9"]).CreateHub();

        Assert.Null(hub.Lanes);
        Assert.Null(hub.Registration("w").Lanes);
        Assert.Equal((3, new PriorityRange(0, 9)), (hub.Slots, hub.Priorities));
    }

    [Theory]
    [InlineData("--lane \"4:0\": expected SLOTS:MIN:MAX or SLOTS:MIN:MAX:NICE", "4:0")]
    [InlineData("--lane \"4:0:9:10:1\": expected SLOTS:MIN:MAX", "4:0:9:10:1")]
    [InlineData("--lane \"0:0:9\": a lane needs at least 1 slot", "0:0:9")]
    [InlineData("--lane \"x:0:9\": the slots \"x\" are not a whole number", "x:0:9")]
    [InlineData("--lane \"4:9:0\": the minimum priority 9 is above the maximum 0", "4:9:0")]
    [InlineData("--lane \"4:a:9\": \"a\" is not a whole number", "4:a:9")]
    [InlineData("--lane \"4:0:9:20\": the nice value \"20\" is not a whole number from -20 (highest priority) to 19 (lowest); below the worker's own it needs a privileged worker (root or CAP_SYS_NICE)", "4:0:9:20")]
    public void A_bad_lane_is_refused_naming_the_flag_and_the_value(string expected, string lane)
    {
        Assert.StartsWith(expected, Refusal("--lane", lane));
    }

    [Fact]
    public void Overlapping_lanes_too_many_lanes_and_too_many_slots_are_refused()
    {
        Assert.Equal(
            "--lane: lane 2 (4:5:20) overlaps lane 1 (4:0:9): priorities 5 to 9 would be in both; each priority belongs to at most one lane",
            Refusal("--lane", "4:0:9", "--lane", "4:5:20"));
        Assert.Equal("--lane: 65 lanes are over the limit of 64",
            Refusal(Enumerable.Range(0, 65).SelectMany(i => new[] { "--lane", $"1:{i}:{i}" }).ToArray()));
        Assert.Equal("--lane: 100001 slots in all are over the limit of 100000", Refusal("--lane", "100000:0:9", "--lane", "1:10:19"));
    }

    [Fact]
    public void Lanes_with_slots_or_a_priority_range_on_one_command_line_are_refused()
    {
        Assert.StartsWith("--lane and --slots or --priority-range: give one or the other", Refusal("--lane", "4:0:9", "--slots", "4"));
        Assert.StartsWith("--lane and --slots or --priority-range: give one or the other", Refusal("--lane", "4:0:9", "--priority-range", "0:9"));
    }

    [Fact]
    public void The_config_file_gives_lanes_and_the_command_line_replaces_them()
    {
        var path = Write(
            """
            lighthouse.worker.lanes = [
              { slots = 4, min-priority = 0, max-priority = 9, nice = 10 }
              { slots = 2, min-priority = 10 }
            ]
            """);

        Assert.Equal([new WorkerLane(4, new PriorityRange(0, 9), 10), new WorkerLane(2, new PriorityRange(10, int.MaxValue))], WorkerCommandLine.Parse(["--config", path]).Lanes);
        Assert.Equal([new WorkerLane(1, new PriorityRange(0, 0))], WorkerCommandLine.Parse(["--config", path, "--lane", "1:0:0"]).Lanes);
        var plain = WorkerCommandLine.Parse(["--config", path, "--slots", "3"]);
        Assert.Null(plain.Lanes);
        Assert.Equal(3, plain.CreateHub().Slots);
    }

    [Theory]
    [InlineData("lighthouse.worker.lanes = [ { slots = 4, min-priority = 0, max-priority = 9, speed = 2 } ]", "lighthouse.worker.lanes[0].speed: unknown key; a lane has max-priority, min-priority, nice, slots")]
    [InlineData("lighthouse.worker.lanes = [ { min-priority = 0 } ]", "lighthouse.worker.lanes[0].slots is missing")]
    [InlineData("lighthouse.worker.lanes = [ { slots = 1, max-priority = 9 }, { slots = 1, min-priority = 9 } ]", "lighthouse.worker.lanes: lane 2 (1:9:2147483647) overlaps lane 1")]
    [InlineData("lighthouse.worker.lanes = [ { slots = 1, nice = -21 } ]", "lighthouse.worker.lanes[0] \"1:::-21\": the nice value \"-21\" is not a whole number from -20")]
    [InlineData("lighthouse.worker.lanes = { slots = 1 }", "lighthouse.worker.lanes: expected a list of lanes")]
    [InlineData("lighthouse.worker { slots = 4, lanes = [ { slots = 1 } ] }", "lighthouse.worker.lanes: give lanes or slots and priority-range, not both")]
    public void A_bad_lanes_section_is_refused_naming_the_key(string hocon, string expected)
    {
        var message = Refusal("--config", Write(hocon));

        Assert.Contains(expected, message);
        Assert.StartsWith(_path, message);
    }

    [Fact]
    public void Hub_options_take_lanes_and_refuse_a_bad_one_keeping_the_earlier_ones()
    {
        var options = new WorkerHubOptions().Lane(4, 0, 9, nice: 10).Lane(4, 10, 99);

        var error = Assert.Throws<ArgumentException>(() => options.Lane(1, 50, 200));
        Assert.Contains("lane 3 (1:50:200) overlaps lane 2 (4:10:99)", error.Message);
        Assert.Throws<ArgumentException>(() => options.Lane(1, 200, 300, nice: 25));
        Assert.Equal(2, options.Lanes.Count);
        options.AddBuiltInHandlers();
        var hub = WorkerHub.Create(options);
        Assert.Equal((8, new PriorityRange(0, 99)), (hub.Slots, hub.Priorities));
    }
}
