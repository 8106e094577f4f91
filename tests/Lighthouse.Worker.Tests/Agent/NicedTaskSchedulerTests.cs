using System.Globalization;
using System.Text.Json.Nodes;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;
using Lighthouse.Worker.Agent;

namespace Lighthouse.Worker.Tests.Agent;

/// <summary>In-process handlers at a lower OS priority (<see cref="WorkerHubOptions.TaskNice"/>), read back from the kernel.</summary>
public sealed class NicedTaskSchedulerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>The calling thread's nice value as the kernel has it: field 19 of /proc/thread-self/stat.</summary>
    private static int ThreadNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        // Field 2 (the command) is in parentheses and may hold spaces: count from the last ')', which ends field 2.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], CultureInfo.InvariantCulture);
    }

    /// <summary>The process's own nice value: its main thread's, field 19 of /proc/self/stat (test threads may have been lowered by others).</summary>
    private static int ProcessNice()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19 - 3], CultureInfo.InvariantCulture);
    }

    private static async Task<(int Before, int After)> RunReadingNice(WorkerHub hub)
    {
        var handler = hub.Find("nice")!;
        var outcome = await TaskExecution.RunAsync(new StartTask("t1", "nice", "{}", "alice", 0, 1), handler, new RecordingProgress(),
            new CancellationTokenSource(), threads: hub.TaskThreads).WaitAsync(Bound);
        var result = JsonNode.Parse(Assert.IsType<TaskOutcome.Succeeded>(outcome).Result)!;
        return ((int)result["before"]!, (int)result["after"]!);
    }

    private static WorkerHub Hub(int? taskNice) => WorkerHub.Create(o =>
    {
        o.TaskNice = taskNice;
        o.Handle("nice", async _ =>
        {
            var before = ThreadNice();
            await Task.Yield();
            return new JsonObject { ["before"] = before, ["after"] = ThreadNice() };
        });
    });

    [Fact]
    public async Task A_handler_runs_at_the_task_nice_before_and_after_its_awaits()
    {
        Assert.True(OperatingSystem.IsLinux(), "per-thread nice values are Linux's");
        var own = ProcessNice();
        Assert.True(own < 10, $"this test needs to run below nice 10; it runs at {own}");

        Assert.Equal((10, 10), await RunReadingNice(Hub(taskNice: 10)));
    }

    [Fact]
    public async Task A_handler_ends_and_reports_progress_at_the_process_priority()
    {
        // Linux gives a new thread its creator's nice: the pool must not grow from a lowered thread, so nothing of the
        // worker's own continues there.
        var scheduler = new NicedTaskScheduler(10);
        var progressed = new TaskCompletionSource<int>();
        var ended = scheduler.Run(() =>
        {
            scheduler.Post(() => progressed.SetResult(ThreadNice()));
            return Task.FromResult(ThreadNice());
        });
        var continued = ended.ContinueWith(_ => ThreadNice(), TaskContinuationOptions.ExecuteSynchronously);

        Assert.Equal(10, await ended.WaitAsync(Bound));
        Assert.Equal(ProcessNice(), await continued.WaitAsync(Bound));
        Assert.Equal(ProcessNice(), await progressed.Task.WaitAsync(Bound));
    }

    [Fact]
    public async Task Without_a_task_nice_a_handler_runs_at_the_process_priority()
    {
        var hub = Hub(taskNice: null);
        Assert.Null(hub.TaskThreads);

        var (before, after) = await RunReadingNice(hub);
        // A thread-pool thread, which keeps the nice value of the thread it was started from (the process's, here).
        Assert.True(before < 10 && after < 10, $"ran at nice {before} then {after}");
    }

    [Fact]
    public async Task Handlers_that_block_do_not_hold_each_other_up()
    {
        // The first blocks its thread until the second has run: with a fixed, single thread this would never end.
        var scheduler = new NicedTaskScheduler(10);
        using var released = new ManualResetEventSlim();
        var first = scheduler.Run(() => Task.FromResult(released.Wait(Bound)));
        var second = scheduler.Run(() =>
        {
            released.Set();
            return Task.FromResult(true);
        });

        Assert.True(await second.WaitAsync(Bound));
        Assert.True(await first.WaitAsync(Bound));
        Assert.Equal(2, scheduler.ThreadsStarted);
    }

    [Fact]
    public async Task An_idle_thread_is_reused()
    {
        var scheduler = new NicedTaskScheduler(10);
        await scheduler.Run(() => Task.FromResult(1)).WaitAsync(Bound);
        // The thread marks itself idle just after its item ends: wait for that, then queue again.
        await Eventually.Holds(() => Task.FromResult(scheduler.IdleThreads == 1), "the first thread is idle");
        await scheduler.Run(() => Task.FromResult(2)).WaitAsync(Bound);

        Assert.Equal(1, scheduler.ThreadsStarted);
    }
}
