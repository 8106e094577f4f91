using System.Text.Json;
using System.Text.Json.Nodes;
using Lighthouse.Protocol;
using Lighthouse.Worker.Agent;

namespace Lighthouse.Worker.Tests.Agent;

public sealed class TaskExecutionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static TaskHandler Only(Action<WorkerHubOptions> add)
    {
        var options = new WorkerHubOptions();
        add(options);
        return Assert.Single(options.Handlers);
    }

    /// <summary>Picks the JSON-model overload for a lambda that only throws (it would fit every overload).</summary>
    private static Func<TaskContext, Task<JsonNode?>> Node(Func<TaskContext, Task<JsonNode?>> handler) => handler;

    private static Task<TaskOutcome> Run(TaskHandler handler, string payload = "{}", CancellationTokenSource? cancellation = null) =>
        TaskExecution.RunAsync(new StartTask("t1", handler.TaskName, payload, "alice", 3, 2), handler, new RecordingProgress(), cancellation ?? new CancellationTokenSource())
            .WaitAsync(Bound);

    [Fact]
    public async Task The_handler_sees_the_task_as_started()
    {
        TaskContext? seen = null;
        var handler = Only(o => o.Handle("look", c => { seen = c; return Task.FromResult(c.Payload); }));
        var outcome = await Run(handler, "{\"n\": 1}");

        Assert.Equal(new TaskOutcome.Succeeded("{\"n\": 1}"), outcome);
        Assert.Equal(("t1", "look", "alice", 3, 2), (seen!.TaskId, seen.TaskName, seen.UserId, seen.Priority, seen.Attempt));
        Assert.Equal(1, seen.Payload.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task A_json_model_result_is_serialized_and_null_is_json_null()
    {
        var model = Only(o => o.Handle("m", _ => Task.FromResult<JsonNode?>(new JsonObject { ["ok"] = true, ["s"] = "x" })));
        Assert.Equal(new TaskOutcome.Succeeded("{\"ok\":true,\"s\":\"x\"}"), await Run(model));

        var none = Only(o => o.Handle("n", _ => Task.FromResult<JsonNode?>(null)));
        Assert.Equal(new TaskOutcome.Succeeded("null"), await Run(none));
    }

    [Fact]
    public async Task Text_that_is_not_json_fails_the_task_saying_so()
    {
        var handler = Only(o => o.HandleJsonText("bad", _ => Task.FromResult("hello world")));
        var failed = Assert.IsType<TaskOutcome.Failed>(await Run(handler));
        Assert.StartsWith("handler \"bad\" returned a result that is not valid JSON: ", failed.Error);
    }

    [Fact]
    public async Task Null_text_or_an_empty_element_fails_the_task_saying_so()
    {
        var text = Only(o => o.HandleJsonText("t", _ => Task.FromResult<string>(null!)));
        Assert.Contains("handler \"t\" returned no JSON value", Assert.IsType<TaskOutcome.Failed>(await Run(text)).Error);

        var element = Only(o => o.Handle("e", _ => Task.FromResult(default(JsonElement))));
        Assert.Contains("handler \"e\" returned no JSON value", Assert.IsType<TaskOutcome.Failed>(await Run(element)).Error);
    }

    [Fact]
    public async Task A_thrown_exception_becomes_the_error()
    {
        var deliberate = Only(o => o.Handle("d", Node(_ => throw new TaskFailedException("no such file: a.txt"))));
        Assert.Equal(new TaskOutcome.Failed("no such file: a.txt"), await Run(deliberate));

        var crash = Only(o => o.Handle("c", Node(async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("Sequence contains no elements");
        })));
        Assert.Equal(new TaskOutcome.Failed("InvalidOperationException: Sequence contains no elements"), await Run(crash));
    }

    [Fact]
    public async Task A_payload_that_is_not_json_fails_before_the_handler_runs()
    {
        var ran = false;
        var handler = Only(o => o.Handle("h", c => { ran = true; return Task.FromResult(c.Payload); }));
        var failed = Assert.IsType<TaskOutcome.Failed>(await Run(handler, "{oops"));
        Assert.StartsWith("task t1 (h): the payload is not valid JSON: ", failed.Error);
        Assert.False(ran);
    }

    [Fact]
    public async Task A_handler_that_hangs_past_its_timeout_fails_as_timed_out_and_its_token_fires()
    {
        var tokenFired = new TaskCompletionSource();
        var handler = Only(o => o.Handle("hang", async c =>
        {
            c.CancellationToken.Register(() => tokenFired.TrySetResult());
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return c.Payload;
        }, timeout: TimeSpan.FromMilliseconds(50)));

        var failed = Assert.IsType<TaskOutcome.Failed>(await Run(handler));
        Assert.Equal("task t1 (hang) timed out after 50 ms, the timeout of its handler; its cancellation token was fired", failed.Error);
        await tokenFired.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task The_tasks_own_timeout_fires_the_token_and_fails_it_timed_out_when_shorter_than_the_handlers()
    {
        var tokenFired = new TaskCompletionSource();
        var handler = Only(o => o.Handle("hang", async c =>
        {
            c.CancellationToken.Register(() => tokenFired.TrySetResult());
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return c.Payload;
        }, timeout: TimeSpan.FromMinutes(10)));
        var start = new StartTask("t1", "hang", "{}", "alice", 0, 1, Timeout: TimeSpan.FromMilliseconds(40));

        var outcome = await TaskExecution.RunAsync(start, handler, new RecordingProgress(), new CancellationTokenSource()).WaitAsync(Bound);

        var failed = Assert.IsType<TaskOutcome.Failed>(outcome);
        Assert.Equal("timed out after 40 ms, the task's timeout; the handler of task t1 (hang) had its cancellation token fired", failed.Error);
        await tokenFired.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_task_that_ends_within_its_own_timeout_succeeds()
    {
        var handler = Only(o => o.Handle("echo", c => Task.FromResult<System.Text.Json.Nodes.JsonNode?>(System.Text.Json.Nodes.JsonValue.Create(1))));
        var start = new StartTask("t1", "echo", "{}", "alice", 0, 1, Timeout: TimeSpan.FromMinutes(1));

        var outcome = await TaskExecution.RunAsync(start, handler, new RecordingProgress(), new CancellationTokenSource()).WaitAsync(Bound);

        Assert.IsType<TaskOutcome.Succeeded>(outcome);
    }

    [Fact]
    public async Task A_handler_that_blocks_its_thread_still_times_out()
    {
        using var release = new ManualResetEventSlim();
        var handler = Only(o => o.Handle("block", c =>
        {
            release.Wait(Bound);
            return Task.FromResult(c.Payload);
        }, timeout: TimeSpan.FromMilliseconds(50)));
        try
        {
            Assert.Contains("timed out after 50 ms", Assert.IsType<TaskOutcome.Failed>(await Run(handler)).Error);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task A_handler_within_its_timeout_succeeds()
    {
        var handler = Only(o => o.Handle("quick", c => Task.FromResult(c.Payload), timeout: TimeSpan.FromSeconds(30)));
        Assert.Equal(new TaskOutcome.Succeeded("[1]"), await Run(handler, "[1]"));
    }

    [Fact]
    public async Task A_handler_stopping_on_its_fired_token_is_stopped_not_failed()
    {
        using var cancellation = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var handler = Only(o => o.Handle("wait", async c =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, c.CancellationToken);
            return c.Payload;
        }));
        var running = Run(handler, cancellation: cancellation);
        await started.Task.WaitAsync(Bound);
        await cancellation.CancelAsync();
        Assert.IsType<TaskOutcome.Stopped>(await running);
    }
}
