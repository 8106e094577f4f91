namespace Lighthouse.Worker.Agent;

/// <summary>Waits between registration attempts: <c>min</c>, then doubling up to <c>max</c>; reset once answered.</summary>
internal sealed class RegistrationBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public RegistrationBackoff(TimeSpan min, TimeSpan max)
    {
        _min = min;
        _max = max;
        _next = min;
    }

    /// <summary>The wait before the next attempt; each call doubles the one after, up to the maximum.</summary>
    public TimeSpan Next()
    {
        var wait = _next;
        _next = _next * 2 > _max ? _max : _next * 2;
        return wait;
    }

    public void Reset() => _next = _min;
}
