namespace Lighthouse.Worker.Agent;

/// <summary>
/// The <see cref="IProgress{T}"/> a handler reports through, on the handler's own thread. It clamps to 0–100,
/// ignores NaN and passes a value on only when its whole percent changes, so a handler reporting rising progress in a
/// tight loop sends the agent at most 101 messages per task; the agent's <see cref="ProgressThrottle"/> does the rest.
/// </summary>
internal sealed class ProgressReporter(Action<double> forward) : IProgress<double>
{
    private int _lastWhole = -1;

    public void Report(double value)
    {
        if (double.IsNaN(value)) return;
        var percent = Math.Clamp(value, 0, 100);
        var whole = (int)Math.Floor(percent);
        // Handlers may report from several threads; only the caller that moves the whole percent forwards.
        var last = Volatile.Read(ref _lastWhole);
        if (whole == last || Interlocked.CompareExchange(ref _lastWhole, whole, last) != last) return;
        forward(percent);
    }
}
