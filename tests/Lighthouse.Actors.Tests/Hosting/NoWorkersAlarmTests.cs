using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Hosting;

public sealed class NoWorkersAlarmTests
{
    [Fact]
    public void Waiting_tasks_without_workers_warn_once_with_the_count()
    {
        var alarm = new NoWorkersAlarm();

        Assert.Null(alarm.Observe(workerNodes: 0, queuedTasks: 0));
        Assert.Equal("no workers: 3 tasks waiting; start a worker (lighthouse-worker --seed HOST:PORT) to run them", alarm.Observe(0, 3));
        Assert.Null(alarm.Observe(0, 3));
        Assert.Null(alarm.Observe(0, 50));
    }

    [Fact]
    public void A_single_waiting_task_is_named_in_the_singular()
    {
        Assert.StartsWith("no workers: 1 task waiting;", new NoWorkersAlarm().Observe(0, 1));
    }

    [Fact]
    public void Tasks_waiting_while_workers_exist_are_no_alarm()
    {
        var alarm = new NoWorkersAlarm();

        Assert.Null(alarm.Observe(workerNodes: 2, queuedTasks: 100));
    }

    [Fact]
    public void Workers_that_appear_and_vanish_again_start_a_new_episode()
    {
        var alarm = new NoWorkersAlarm();
        Assert.NotNull(alarm.Observe(0, 2));

        Assert.Null(alarm.Observe(1, 2));
        Assert.Equal("no workers: 4 tasks waiting; start a worker (lighthouse-worker --seed HOST:PORT) to run them", alarm.Observe(0, 4));
        Assert.Null(alarm.Observe(0, 4));
    }

    [Fact]
    public void A_worker_that_registered_and_left_between_two_checks_still_ends_the_episode()
    {
        var alarm = new NoWorkersAlarm();
        Assert.NotNull(alarm.Observe(0, 2));

        alarm.WorkerAppeared();

        Assert.StartsWith("no workers: 1 task waiting;", alarm.Observe(0, 1));
        Assert.Null(alarm.Observe(0, 1));
    }

    [Fact]
    public void An_emptied_queue_does_not_end_the_episode()
    {
        var alarm = new NoWorkersAlarm();
        Assert.NotNull(alarm.Observe(0, 2));

        Assert.Null(alarm.Observe(0, 0));
        Assert.Null(alarm.Observe(0, 1));
    }
}
