using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lighthouse.Worker;

/// <summary>
/// Handlers for trying Lighthouse out and benchmarking it. None of them reads its payload as a command:
/// <c>echo</c> given <c>"EXIT"</c> returns <c>"EXIT"</c>, and that is all.
/// </summary>
public static class BuiltInHandlers
{
    public const string Echo = "echo";
    public const string Sleep = "sleep";
    public const string Fail = "fail";
    public const string Cpu = "cpu";

    /// <summary>The built-in task names, in name order.</summary>
    public static IReadOnlyList<string> Names { get; } = [Cpu, Echo, Fail, Sleep];

    private const double MaxMilliseconds = int.MaxValue;

    internal static void AddTo(WorkerHubOptions options)
    {
        options.HandleJsonText(Echo, EchoAsync);
        options.Handle(Sleep, SleepAsync);
        options.Handle(Fail, FailAsync);
        options.Handle(Cpu, CpuAsync);
    }

    /// <summary><c>echo</c>: the result is the payload, character for character.</summary>
    public static Task<string> EchoAsync(TaskContext context) => Task.FromResult(context.PayloadText);

    /// <summary><c>sleep</c> <c>{"ms": N}</c>: waits N ms, reporting progress, and stops when cancelled. Result <c>{"slept_ms": N}</c>.</summary>
    public static async Task<JsonNode?> SleepAsync(TaskContext context)
    {
        var ms = Milliseconds(context);
        var total = TimeSpan.FromMilliseconds(ms);
        // About a hundred steps, each 10–100 ms: fine enough for a progress bar, coarse enough to cost nothing.
        var step = TimeSpan.FromMilliseconds(Math.Clamp(ms / 100, 10, 100));
        var clock = Stopwatch.StartNew();
        context.ReportProgress(0);
        for (var elapsed = clock.Elapsed; elapsed < total; elapsed = clock.Elapsed)
        {
            var left = total - elapsed;
            await Task.Delay(left < step ? left : step, context.CancellationToken).ConfigureAwait(false);
            context.ReportProgress(Math.Min(100, clock.Elapsed / total * 100));
        }
        context.ReportProgress(100);
        return new JsonObject { ["slept_ms"] = ms };
    }

    /// <summary><c>fail</c> <c>{"message": "..."}</c>: fails the task with that message (or "failed on purpose" without one).</summary>
    public static Task<JsonNode?> FailAsync(TaskContext context)
    {
        var message = context.Payload.ValueKind == JsonValueKind.Object
                      && context.Payload.TryGetProperty("message", out var value)
                      && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        throw new TaskFailedException(string.IsNullOrEmpty(message) ? "failed on purpose" : message);
    }

    /// <summary><c>cpu</c> <c>{"ms": N}</c>: keeps one core busy for N ms, reporting progress, and stops when cancelled. Result <c>{"busy_ms": N}</c>.</summary>
    public static Task<JsonNode?> CpuAsync(TaskContext context)
    {
        var ms = Milliseconds(context);
        var total = TimeSpan.FromMilliseconds(ms);
        var clock = Stopwatch.StartNew();
        var sink = 0UL;
        context.ReportProgress(0);
        for (var elapsed = clock.Elapsed; elapsed < total; elapsed = clock.Elapsed)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            // A short burst of arithmetic between clock reads, so the loop is work and not just reading the clock.
            for (var i = 0; i < 10_000; i++) sink = sink * 6364136223846793005UL + 1442695040888963407UL;
            context.ReportProgress(elapsed / total * 100);
        }
        GC.KeepAlive(sink);
        context.ReportProgress(100);
        return Task.FromResult<JsonNode?>(new JsonObject { ["busy_ms"] = ms });
    }

    /// <summary>The payload's <c>ms</c>: a number of milliseconds from 0 to int.MaxValue, or a failure saying what was given.</summary>
    private static double Milliseconds(TaskContext context)
    {
        var payload = context.Payload;
        if (payload.ValueKind == JsonValueKind.Object
            && payload.TryGetProperty("ms", out var ms)
            && ms.ValueKind == JsonValueKind.Number
            && ms.TryGetDouble(out var value)
            && value is >= 0 and <= MaxMilliseconds)
        {
            return value;
        }
        throw new TaskFailedException(
            $"{context.TaskName}: the payload needs \"ms\", a number of milliseconds from 0 to {MaxMilliseconds:0}, as in {{\"ms\": 100}}; got {Shorten(context.PayloadText)}");
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
