using Lighthouse.Client;
using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Client;

/// <summary>The client actor's book of waits, without an ActorSystem: what it asks, when it asks again, and who a status reaches.</summary>
public sealed class TaskWatchesTests
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);

    private readonly TaskWatches _watches = new(Refresh);

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    private static TaskCompletionSource<object> Completion() => new();

    private static TaskInfo Info(string taskId, TaskState state, string? result = null) =>
        new(taskId, "echo", "alice", 0, state, 0, result, null, null, 0, 3, DateTimeOffset.UnixEpoch, null, null, null, false, null);

    [Fact]
    public void The_first_wait_for_a_task_asks_and_later_ones_share_its_watch_unless_they_want_progress()
    {
        var first = _watches.Wait("t1", new TaskWaiter(Completion(), null), At(0));
        var second = _watches.Wait("t1", new TaskWaiter(Completion(), null), At(0));
        var withProgress = _watches.Wait("t1", new TaskWaiter(Completion(), new Progress<TaskInfo>()), At(0));

        Assert.Equal(new WatchTask("t1", Progress: false), first);
        Assert.Null(second);
        Assert.Equal(new WatchTask("t1", Progress: true), withProgress);
        Assert.Equal(1, _watches.Count);
    }

    [Fact]
    public void A_followed_run_asks_nothing_unless_it_wants_progress()
    {
        Assert.Null(_watches.Follow("t1", new TaskWaiter(Completion(), null), At(0)));
        Assert.Equal(new WatchTask("t2", Progress: true), _watches.Follow("t2", new TaskWaiter(Completion(), new Progress<TaskInfo>()), At(0)));
    }

    [Fact]
    public async Task A_finished_status_ends_every_wait_for_the_task_and_forgets_the_watch()
    {
        var (a, b) = (Completion(), Completion());
        _watches.Wait("t1", new TaskWaiter(a, null), At(0));
        _watches.Wait("t1", new TaskWaiter(b, null), At(0));

        _watches.Heard(Info("t1", TaskState.Running), At(1), answersAsk: true);
        Assert.False(a.Task.IsCompleted);
        _watches.Heard(Info("t1", TaskState.Succeeded, "[1]"), At(2), answersAsk: false);

        Assert.Equal("[1]", ((TaskInfo)await a.Task).Result);
        Assert.Same(await a.Task, await b.Task);
        Assert.Equal(0, _watches.Count);
    }

    [Fact]
    public void Only_a_task_quiet_for_the_refresh_interval_is_asked_about_again_and_not_while_an_ask_is_in_flight()
    {
        _watches.Wait("quiet", new TaskWaiter(Completion(), null), At(0));
        _watches.Wait("busy", new TaskWaiter(Completion(), null), At(0));
        _watches.Heard(Info("quiet", TaskState.Queued), At(0.1), answersAsk: true);
        _watches.Heard(Info("busy", TaskState.Queued), At(0.1), answersAsk: true);
        _watches.Heard(Info("busy", TaskState.Running), At(1.5), answersAsk: false);

        Assert.Empty(_watches.DueForRefresh(At(2)));
        Assert.Equal([new WatchTask("quiet")], _watches.DueForRefresh(At(2.1)));
        // The ask is unanswered: the request book resends it or lets it time out, the watch does not ask twice.
        Assert.Equal([new WatchTask("busy")], _watches.DueForRefresh(At(4.2)));
        Assert.Empty(_watches.DueForRefresh(At(6.2)));
        _watches.Heard(Info("quiet", TaskState.Queued), At(6.3), answersAsk: true);
        Assert.Equal([new WatchTask("quiet")], _watches.DueForRefresh(At(8.3)));
    }

    [Fact]
    public void A_watch_whose_waiters_all_gave_up_is_dropped_at_its_refresh_instead_of_asking()
    {
        var cancelled = Completion();
        _watches.Wait("t1", new TaskWaiter(cancelled, null), At(0));
        _watches.Heard(Info("t1", TaskState.Queued), At(0), answersAsk: true);
        cancelled.SetCanceled();

        Assert.Empty(_watches.DueForRefresh(At(3)));
        Assert.Equal(0, _watches.Count);
    }

    [Fact]
    public async Task An_end_heard_before_any_wait_is_kept_and_ends_a_later_wait_without_asking()
    {
        _watches.Heard(Info("t1", TaskState.Failed), At(0), answersAsk: false);
        var completion = Completion();

        Assert.Null(_watches.Wait("t1", new TaskWaiter(completion, null), At(1)));
        Assert.Equal(TaskState.Failed, ((TaskInfo)await completion.Task).State);
        Assert.Equal(0, _watches.Count);
    }

    [Fact]
    public async Task Unknown_and_failure_end_every_wait_of_the_task()
    {
        var (unknown, failed) = (Completion(), Completion());
        _watches.Wait("t1", new TaskWaiter(unknown, null), At(0));
        _watches.Wait("t2", new TaskWaiter(failed, null), At(0));

        _watches.Unknown(new UnknownTask("t1"));
        _watches.Fail("t2", () => new LighthouseUnavailableException("here", "no answer"));

        Assert.IsType<UnknownTask>(await unknown.Task);
        await Assert.ThrowsAsync<LighthouseUnavailableException>(() => failed.Task);
        Assert.Equal(0, _watches.Count);
    }

    [Fact]
    public void Kept_ends_are_bounded_by_count_and_age()
    {
        var kept = new FinishedTasks(capacity: 2, lifetime: TimeSpan.FromSeconds(60), maxChars: 1_000_000);

        kept.Add(Info("t1", TaskState.Succeeded), At(0));
        kept.Add(Info("t2", TaskState.Succeeded), At(1));
        kept.Add(Info("t3", TaskState.Succeeded), At(2));
        Assert.False(kept.TryGet("t1", out _));
        Assert.True(kept.TryGet("t2", out _));

        kept.Expire(At(61.5));
        Assert.False(kept.TryGet("t2", out _));
        Assert.True(kept.TryGet("t3", out _));
    }

    [Fact]
    public void Kept_ends_are_bounded_by_the_size_of_their_results()
    {
        // Each end counts its result and error, plus 64 for the rest.
        var kept = new FinishedTasks(capacity: 100, lifetime: TimeSpan.FromSeconds(60), maxChars: 950);

        kept.Add(Info("small", TaskState.Succeeded, "[1]"), At(0));
        kept.Add(Info("big", TaskState.Succeeded, new string('x', 800)), At(1));
        Assert.True(kept.TryGet("small", out _));
        kept.Add(Info("next", TaskState.Succeeded, "[2]"), At(2));

        Assert.False(kept.TryGet("small", out _));
        Assert.True(kept.TryGet("big", out _));
        Assert.True(kept.TryGet("next", out _));
    }
}
