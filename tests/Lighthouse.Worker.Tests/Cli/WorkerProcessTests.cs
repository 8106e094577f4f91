using System.Diagnostics;
using Akka.Actor;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Worker.Tests.Cli;

/// <summary>The built <c>lighthouse-worker</c> as a real process, on loopback, against a stand-in host in the test.</summary>
public sealed class WorkerProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static Process Launch(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lighthouse-worker.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    private static async Task<int> ExitAsync(Process process)
    {
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"lighthouse-worker did not exit within {Limit}");
        }
        return process.ExitCode;
    }

    [Fact]
    public async Task Bad_arguments_exit_2_with_one_line_on_stderr()
    {
        using var process = Launch("--priority-range", "5:1");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        Assert.Equal(2, await ExitAsync(process));
        Assert.Equal("", await stdout);
        Assert.Equal("lighthouse-worker: --priority-range \"5:1\": the minimum 5 is above the maximum 1\n", await stderr);
    }

    [Fact]
    public async Task The_worker_joins_the_host_runs_tasks_over_remoting_and_leaves_on_SIGTERM()
    {
        // No test worker: the tasks must run on the process.
        await using var host = await TestHost.StartAsync(withWorker: false);
        using var worker = Launch("--seed", host.Address, "--name", "proc-worker", "--slots", "2", "--resources", "cpu=2");
        var stdout = worker.StandardOutput.ReadToEndAsync();
        var stderr = worker.StandardError.ReadToEndAsync();
        try
        {
            var echo = await TestHost.SubmitAsync(host.Scheduler, "echo", "\"EXIT\"");
            var fail = await TestHost.SubmitAsync(host.Scheduler, "fail", "{\"message\": \"over the wire\"}");
            var sleep = await TestHost.SubmitAsync(host.Scheduler, "sleep", "{\"ms\": 600000}");

            var tasks = await TestHost.AwaitTasksAsync(host.Scheduler, "alice",
                t => t.Single(x => x.TaskId == sleep).State == TaskState.Running && t.Where(x => x.TaskId != sleep).All(x => x.State.IsFinished()), Limit);
            var echoed = tasks.Single(t => t.TaskId == echo);
            Assert.Equal((TaskState.Succeeded, "\"EXIT\"", "proc-worker"), (echoed.State, echoed.Result, echoed.Node));
            var failed = tasks.Single(t => t.TaskId == fail);
            Assert.Equal((TaskState.Failed, "over the wire"), (failed.State, failed.Error));

            await host.Scheduler.Ask<CancelPending>(new CancelTask(sleep), TimeSpan.FromSeconds(5));
            var cancelled = (await TestHost.AwaitTasksAsync(host.Scheduler, "alice", t => t.Single(x => x.TaskId == sleep).State.IsFinished(), Limit))
                .Single(t => t.TaskId == sleep);
            Assert.Equal(TaskState.Cancelled, cancelled.State);

            // The echo of "EXIT" did not stop the worker: it still serves.
            var again = await TestHost.SubmitAsync(host.Scheduler, "echo", "2");
            await TestHost.AwaitTasksAsync(host.Scheduler, "alice", t => t.Single(x => x.TaskId == again).State == TaskState.Succeeded, Limit);

            using (var kill = Process.Start("kill", ["-TERM", worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            Assert.Equal(0, await ExitAsync(worker));
            Assert.Contains("lighthouse-worker: node \"proc-worker\" at akka.tcp://lighthouse@127.0.0.1:", await stdout);
            Assert.DoesNotContain("lighthouse-worker:", await stderr);
        }
        finally
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
        }
    }
}
