using System.Collections.Concurrent;
using System.Text.Json;

namespace Lighthouse.Worker.Tests;

/// <summary>Task contexts for calling handlers directly, with the progress they report collected.</summary>
internal static class Contexts
{
    public static TaskContext For(string taskName, string payload, CancellationToken token = default, RecordingProgress? progress = null) =>
        new("task-1", taskName, "alice", 0, 1, JsonElement.Parse(payload), payload, progress ?? new RecordingProgress(), token);
}

/// <summary>Keeps every value reported, from any thread.</summary>
internal sealed class RecordingProgress : IProgress<double>
{
    private readonly ConcurrentQueue<double> _values = new();

    public IReadOnlyList<double> Values => _values.ToArray();

    public void Report(double value) => _values.Enqueue(value);
}
