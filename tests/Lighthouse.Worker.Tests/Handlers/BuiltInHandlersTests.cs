using System.Text.Json.Nodes;

namespace Lighthouse.Worker.Tests.Handlers;

public sealed class BuiltInHandlersTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("\"EXIT\"")]
    [InlineData(" {\"b\": [1, 2.50, null], \"a\": \"é\"} ")]
    [InlineData("null")]
    public async Task Echo_returns_the_payload_character_for_character(string payload)
    {
        var result = await BuiltInHandlers.EchoAsync(Contexts.For("echo", payload));
        Assert.Equal(payload, result);
    }

    [Fact]
    public async Task Sleep_reports_progress_from_0_to_100_and_returns_its_duration()
    {
        var progress = new RecordingProgress();
        var result = await BuiltInHandlers.SleepAsync(Contexts.For("sleep", "{\"ms\": 30}", progress: progress)).WaitAsync(Bound);

        Assert.Equal(30, result!["slept_ms"]!.GetValue<double>());
        var values = progress.Values;
        Assert.Equal(0, values[0]);
        Assert.Equal(100, values[^1]);
        Assert.All(values, v => Assert.InRange(v, 0, 100));
        Assert.Equal(values.Order(), values);
    }

    [Fact]
    public async Task Sleep_stops_when_its_token_fires()
    {
        using var cancel = new CancellationTokenSource();
        var sleeping = BuiltInHandlers.SleepAsync(Contexts.For("sleep", "{\"ms\": 600000}", cancel.Token));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sleeping.WaitAsync(Bound));
    }

    [Fact]
    public async Task Fail_throws_a_task_failure_with_the_payload_message()
    {
        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => BuiltInHandlers.FailAsync(Contexts.For("fail", "{\"message\": \"disk full on /data\"}")));
        Assert.Equal("disk full on /data", failure.Message);
        Assert.Equal("disk full on /data", TaskErrors.Describe(failure));
    }

    [Fact]
    public async Task Fail_without_a_message_still_fails_and_says_it_was_on_purpose()
    {
        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => BuiltInHandlers.FailAsync(Contexts.For("fail", "{}")));
        Assert.Equal("failed on purpose", failure.Message);
    }

    [Fact]
    public async Task Cpu_is_busy_and_returns_its_duration()
    {
        var progress = new RecordingProgress();
        var result = await BuiltInHandlers.CpuAsync(Contexts.For("cpu", "{\"ms\": 20}", progress: progress)).WaitAsync(Bound);
        Assert.Equal(20, result!["busy_ms"]!.GetValue<double>());
        Assert.Equal(100, progress.Values[^1]);
    }

    [Fact]
    public async Task Cpu_stops_when_its_token_has_fired()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Task.Run(() => BuiltInHandlers.CpuAsync(Contexts.For("cpu", "{\"ms\": 600000}", cancel.Token))).WaitAsync(Bound));
    }

    [Theory]
    [InlineData("sleep", "{\"ms\": \"abc\"}", "\"abc\"")]
    [InlineData("sleep", "{\"ms\": -5}", "-5")]
    [InlineData("cpu", "{}", "{}")]
    [InlineData("cpu", "[100]", "[100]")]
    public async Task Sleep_and_cpu_name_the_bad_duration_they_were_given(string task, string payload, string shown)
    {
        var context = Contexts.For(task, payload);
        Func<Task<JsonNode?>> run = task == "sleep" ? () => BuiltInHandlers.SleepAsync(context) : () => BuiltInHandlers.CpuAsync(context);
        var failure = await Assert.ThrowsAsync<TaskFailedException>(run);
        Assert.StartsWith($"{task}: the payload needs \"ms\"", failure.Message);
        Assert.Contains(shown, failure.Message);
    }

    [Fact]
    public void Options_add_the_four_built_in_handlers_and_refuse_to_add_them_over_a_custom_echo()
    {
        var hub = WorkerHub.Create(o => o.AddBuiltInHandlers());
        Assert.Equal(["cpu", "echo", "fail", "sleep"], hub.TaskNames);

        var options = new WorkerHubOptions().HandleJsonText("echo", c => Task.FromResult("1"));
        var clash = Assert.Throws<ArgumentException>(() => options.AddBuiltInHandlers());
        Assert.Contains("task name \"echo\" already has a handler", clash.Message);
        Assert.Equal(["echo"], options.Handlers.Select(h => h.TaskName));
    }
}
