namespace Lighthouse.Scheduling;

/// <summary>
/// The thread that stamps a <see cref="PauseWatch"/>: a thread of its own rather than a pool timer, so that a busy
/// thread pool does not look like a frozen process. It beats five times per tolerance (at most every 100 ms) and stops
/// when disposed.
/// </summary>
public sealed class PauseWatchdog : IDisposable
{
    private readonly PauseWatch _watch;
    private readonly TimeSpan _beat;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public PauseWatchdog(PauseWatch watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        _watch = watch;
        _beat = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(100).Ticks, Math.Max(1, watch.Tolerance.Ticks / 5)));
        _thread = new Thread(Run) { IsBackground = true, Name = "lighthouse-pause-watchdog" };
        _thread.Start();
    }

    private void Run()
    {
        var stop = _stop.Token;
        while (!stop.WaitHandle.WaitOne(_beat)) _watch.Stamp();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(1));
        _stop.Dispose();
    }
}
