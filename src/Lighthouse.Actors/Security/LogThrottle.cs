namespace Lighthouse.Security;

/// <summary>
/// At most one log line per interval for something a stranger can repeat at will (a refused handshake, a dropped
/// message), with the count of those left out since the last line: a flood costs a line every few seconds, not one each.
/// </summary>
public sealed class LogThrottle(TimeSpan interval)
{
    private long _lastLine = long.MinValue;
    private int _leftOut;

    /// <summary>The default interval, as for refused TLS handshakes.</summary>
    public static TimeSpan DefaultInterval => RemoteTls.RefusalLogInterval;

    /// <summary>
    /// True when a line may be written at <paramref name="nowMs"/> (a monotonic millisecond count, e.g. <see cref="Environment.TickCount64"/>);
    /// <paramref name="leftOut"/> is then how many were held back since the last one. Not thread-safe: one owner (an actor).
    /// </summary>
    public bool Allow(long nowMs, out int leftOut)
    {
        if (_lastLine != long.MinValue && nowMs - _lastLine < (long)interval.TotalMilliseconds)
        {
            _leftOut++;
            leftOut = 0;
            return false;
        }
        _lastLine = nowMs;
        leftOut = _leftOut;
        _leftOut = 0;
        return true;
    }

    /// <summary><see cref="Allow(long, out int)"/> now.</summary>
    public bool Allow(out int leftOut) => Allow(Environment.TickCount64, out leftOut);
}
