using Lighthouse.Protocol;
using Lighthouse.Worker.Agent;

namespace Lighthouse.Worker.Tests.Agent;

public sealed class RunningTasksTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private static StartTask Start(string id, string name = "sleep") => new(id, name, "{}", "alice", 0, 1);

    [Fact]
    public void A_task_beyond_the_slots_is_refused_naming_the_node_the_task_and_the_busy_ones()
    {
        var tasks = new RunningTasks("w1", 2);
        Assert.Null(tasks.Refusal(Start("t1")));
        tasks.Add(Start("t1"), Interval);
        tasks.Add(Start("t2"), Interval);

        var refusal = tasks.Refusal(Start("t3", "cpu"));
        Assert.Equal("worker node \"w1\" refused task t3 (cpu): all 2 slots are busy (t1, t2); the scheduler sent more tasks than the node's slots", refusal);
        Assert.Equal(2, tasks.Count);
    }

    [Fact]
    public void Removing_a_task_frees_its_slot()
    {
        var tasks = new RunningTasks("w1", 1);
        var first = tasks.Add(Start("t1"), Interval);
        tasks.Remove(first);
        Assert.Null(tasks.Refusal(Start("t2")));
        Assert.Null(tasks.Find("t1"));
    }

    [Fact]
    public void A_new_run_of_the_same_task_is_not_taken_for_the_old_one()
    {
        var tasks = new RunningTasks("w1", 2);
        var old = tasks.Add(Start("t1"), Interval);
        tasks.RemoveAll();
        var again = tasks.Add(Start("t1"), Interval);

        Assert.NotEqual(old.Run, again.Run);
        Assert.Null(tasks.Find("t1", old.Run));
        Assert.Same(again, tasks.Find("t1", again.Run));
        tasks.Remove(old);
        Assert.Same(again, tasks.Find("t1"));
    }

    [Fact]
    public void Adding_a_running_id_or_beyond_the_slots_is_a_bug_and_throws()
    {
        var tasks = new RunningTasks("w1", 1);
        tasks.Add(Start("t1"), Interval);
        Assert.Throws<InvalidOperationException>(() => tasks.Add(Start("t1"), Interval));
        Assert.Throws<InvalidOperationException>(() => tasks.Add(Start("t2"), Interval));
    }

    [Fact]
    public void Remove_all_returns_the_tasks_in_start_order_and_frees_every_slot()
    {
        var tasks = new RunningTasks("w1", 3);
        tasks.Add(Start("b"), Interval);
        tasks.Add(Start("a"), Interval);
        Assert.Equal(["b", "a"], tasks.RemoveAll().Select(t => t.TaskId));
        Assert.Equal(0, tasks.Count);
    }
}
