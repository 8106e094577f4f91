using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>The intrusive per-shape queue: requeued tasks first in sequence order, then first in first out, any task removable.</summary>
public sealed class ShapeQueueTests
{
    private static readonly PlacementShape Shape = new(0, "k", "echo", 0, new Dictionary<string, double>(), new HashSet<string>());

    private static TaskRecord Task(long sequence, bool requeued = false) =>
        new($"t{sequence}", sequence, Shape, "alice", "{}", null, 3, null, DateTimeOffset.UnixEpoch) { Requeued = requeued };

    [Fact]
    public void Requeued_tasks_go_first_in_sequence_order_and_new_ones_last()
    {
        var queue = new ShapeQueue(Shape);
        var t5 = Task(5);
        var t6 = Task(6);
        Assert.True(queue.Add(t5));
        Assert.False(queue.Add(t6));

        Assert.True(queue.Add(Task(3, requeued: true)));
        Assert.False(queue.Add(Task(4, requeued: true)));
        Assert.True(queue.Add(Task(1, requeued: true)));
        Assert.False(queue.Add(Task(2, requeued: true)));
        Assert.False(queue.Add(Task(7)));

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], queue.Tasks.Select(t => t.Sequence));
        Assert.Equal((7, 1L, 7L), (queue.Count, queue.Head!.Sequence, queue.Tail!.Sequence));
    }

    [Fact]
    public void Any_task_can_be_removed_and_the_order_of_the_rest_holds()
    {
        var queue = new ShapeQueue(Shape);
        var tasks = new[] { Task(2, requeued: true), Task(4, requeued: true), Task(10), Task(11), Task(12) };
        foreach (var task in tasks) queue.Add(task);

        Assert.False(queue.Remove(tasks[3]));
        Assert.False(queue.Remove(tasks[1]));
        // With the last requeued task gone, a new requeued one still lands before the ordinary ones.
        queue.Add(Task(7, requeued: true));
        Assert.True(queue.Remove(tasks[0]));
        Assert.False(queue.Remove(tasks[4]));

        Assert.Equal([7L, 10], queue.Tasks.Select(t => t.Sequence));
        Assert.Equal((2, 7L, 10L), (queue.Count, queue.Head!.Sequence, queue.Tail!.Sequence));
        Assert.Throws<InvalidOperationException>(() => queue.Remove(tasks[4]));
        Assert.Throws<InvalidOperationException>(() => queue.Add(queue.Head!));
    }
}
