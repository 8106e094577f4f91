namespace Lighthouse.Client;

/// <summary>
/// The pauses between status polls while waiting for a task: short at first, because most tasks are short and a
/// waiter wants their result at once, then doubling up to a cap, so a long task costs a few reads a second.
/// </summary>
internal sealed class PollBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromMilliseconds(250);

    private TimeSpan _next = First;

    /// <summary>The pause before the next poll: 1, 2, 4, … ms, at most 250 ms.</summary>
    public TimeSpan Next()
    {
        var pause = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, Max.Ticks));
        return pause;
    }
}
