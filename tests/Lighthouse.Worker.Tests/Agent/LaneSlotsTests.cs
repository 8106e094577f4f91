using Lighthouse.Protocol;
using Lighthouse.Worker.Agent;

namespace Lighthouse.Worker.Tests.Agent;

/// <summary>On a worker with lanes, a task takes a slot of the lane its priority is in, as the scheduler counts it.</summary>
public sealed class LaneSlotsTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private static readonly WorkerLane[] Lanes = [new(1, new PriorityRange(0, 9), 10), new(2, new PriorityRange(10, 99))];

    private static StartTask Start(string id, int priority) => new(id, "sleep", "{}", "alice", priority, 1);

    [Fact]
    public void Each_task_takes_a_slot_of_its_own_lane_and_a_full_lane_refuses_only_its_own_priorities()
    {
        var tasks = new RunningTasks("w1", 3, Lanes);
        var first = tasks.Add(Start("t1", 5), Interval);
        Assert.Equal(0, first.Lane);

        Assert.Equal(
            "worker node \"w1\" refused task t2 (sleep): all 1 slots of its lane 1 (1:0:9:10) for priority 7 are busy; the scheduler sent more tasks than the lane's slots",
            tasks.Refusal(Start("t2", 7)));
        Assert.Null(tasks.Refusal(Start("t3", 50)));
        Assert.Equal(1, tasks.Add(Start("t3", 50), Interval).Lane);
        Assert.Equal([1, 1], tasks.LaneRunning);

        tasks.Remove(first);
        Assert.Null(tasks.Refusal(Start("t2", 7)));
        Assert.Equal([0, 1], tasks.LaneRunning);
    }

    [Fact]
    public void A_priority_in_no_lane_is_refused_naming_the_lanes()
    {
        var tasks = new RunningTasks("w1", 3, Lanes);

        Assert.Equal("worker node \"w1\" refused task t1 (sleep): none of its lanes (1:0:9:10, 2:10:99) holds priority 500", tasks.Refusal(Start("t1", 500)));
        Assert.Throws<InvalidOperationException>(() => tasks.Add(Start("t1", 500), Interval));
    }

    [Fact]
    public void Giving_every_slot_back_empties_every_lane()
    {
        var tasks = new RunningTasks("w1", 3, Lanes);
        tasks.Add(Start("t1", 5), Interval);
        tasks.Add(Start("t2", 20), Interval);

        tasks.RemoveAll();

        Assert.Equal([0, 0], tasks.LaneRunning);
        Assert.Null(tasks.Refusal(Start("t3", 5)));
    }
}
