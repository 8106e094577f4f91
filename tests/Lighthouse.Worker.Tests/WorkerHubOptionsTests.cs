using System.Text.Json.Nodes;
using Lighthouse.Protocol;

namespace Lighthouse.Worker.Tests;

public sealed class WorkerHubOptionsTests
{
    private static Task<JsonNode?> Nothing(TaskContext _) => Task.FromResult<JsonNode?>(null);

    [Fact]
    public void Resources_tags_and_wards_are_declared_in_name_order()
    {
        var hub = WorkerHub.Create(o => o.Resource("gpu", 1).Resource("cpu", 4).Tag("ssd").Ward("quarantine").Handle("x", Nothing));
        Assert.Equal(["cpu", "gpu", "quarantine", "ssd"], hub.Resources.Keys);
        Assert.Equal(0, hub.Resources["ssd"]);
        Assert.Equal(double.NegativeInfinity, hub.Resources["quarantine"]);
        Assert.Equal(4, hub.Resources["cpu"]);
    }

    [Theory]
    [InlineData("slots", "resource \"slots\" is reserved")]
    [InlineData("task:echo", "resource \"task:echo\" is reserved")]
    [InlineData(" ", "resource name is empty")]
    [InlineData("a\tb", "resource name \"a\tb\" contains the control character U+0009")]
    public void A_bad_resource_name_is_refused_and_keeps_what_was_declared(string name, string message)
    {
        var options = new WorkerHubOptions().Resource("cpu", 2);
        var refused = Assert.Throws<ArgumentException>(() => options.Resource(name, 1));
        Assert.StartsWith(message, refused.Message);
        Assert.Equal(new Dictionary<string, double> { ["cpu"] = 2 }, options.Resources);
    }

    [Fact]
    public void A_NaN_quantity_is_refused_naming_the_resource()
    {
        var refused = Assert.Throws<ArgumentException>(() => new WorkerHubOptions().Resource("cpu", double.NaN));
        Assert.StartsWith("resource \"cpu\": quantity is NaN", refused.Message);
    }

    [Fact]
    public void A_second_handler_for_a_task_name_is_refused_and_the_first_stays()
    {
        var options = new WorkerHubOptions().Handle("x", Nothing);
        var refused = Assert.Throws<ArgumentException>(() => options.HandleJsonText("x", _ => Task.FromResult("1")));
        Assert.StartsWith("task name \"x\" already has a handler", refused.Message);
        Assert.Single(options.Handlers);
    }

    [Fact]
    public void A_timeout_must_be_positive()
    {
        var refused = Assert.Throws<ArgumentException>(() => new WorkerHubOptions().Handle("x", Nothing, TimeSpan.Zero));
        Assert.StartsWith("task name \"x\": timeout 0 ms is not positive", refused.Message);
    }

    [Theory]
    [InlineData(0, 0, 1, "worker hub: slots is 0: a worker needs at least 1")]
    [InlineData(2, 5, 1, "worker hub: priority range 5:1: the minimum 5 is above the maximum 1")]
    public void Create_checks_the_properties_together(int slots, int min, int max, string message)
    {
        var refused = Assert.Throws<ArgumentException>(() => WorkerHub.Create(o =>
        {
            o.Slots = slots;
            o.Priorities = new PriorityRange(min, max);
            o.Handle("x", Nothing);
        }));
        Assert.StartsWith(message, refused.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(20)]
    public void A_task_nice_outside_0_to_19_is_refused(int nice)
    {
        var refused = Assert.Throws<ArgumentException>(() => WorkerHub.Create(o => { o.TaskNice = nice; o.Handle("x", Nothing); }));
        Assert.StartsWith($"worker hub: task nice {nice}: the nice value of the threads running in-process handlers is from 0 to 19", refused.Message);
    }

    [Fact]
    public void A_hub_without_handlers_is_refused()
    {
        var refused = Assert.Throws<ArgumentException>(() => WorkerHub.Create(_ => { }));
        Assert.StartsWith("worker hub: no handlers", refused.Message);
    }

    [Fact]
    public void The_hub_is_a_snapshot_of_the_options()
    {
        var options = new WorkerHubOptions { Slots = 3 }.Resource("cpu", 1).Handle("x", Nothing);
        var hub = WorkerHub.Create(options);
        options.Resource("cpu", 8).Handle("y", Nothing);
        options.Slots = 9;
        Assert.Equal((3, 1.0), (hub.Slots, hub.Resources["cpu"]));
        Assert.Equal(["x"], hub.TaskNames);
    }

    [Fact]
    public void Slots_default_to_the_processor_count_and_priorities_to_all()
    {
        var hub = WorkerHub.Create(o => o.Handle("x", Nothing));
        Assert.Equal(Environment.ProcessorCount, hub.Slots);
        Assert.Equal(PriorityRange.All, hub.Priorities);
    }

    [Fact]
    public void Errors_read_as_the_message_alone_for_deliberate_failures_and_with_the_type_for_crashes()
    {
        Assert.Equal("bad input", TaskErrors.Describe(new Exception("bad input")));
        Assert.Equal("bad input", TaskErrors.Describe(new TaskFailedException("bad input")));
        Assert.Equal("KeyNotFoundException: key 'a'", TaskErrors.Describe(new KeyNotFoundException("key 'a'")));
        Assert.Equal("FormatException: x", TaskErrors.Describe(new AggregateException(new FormatException("x"))));
        Assert.Equal("TaskFailedException", TaskErrors.Describe(new TaskFailedException("  ")));
    }
}
