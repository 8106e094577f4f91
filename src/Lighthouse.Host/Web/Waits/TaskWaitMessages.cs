namespace Lighthouse.Host.Web.Waits;

/// <summary>Wake <paramref name="Waiter"/> when task <paramref name="TaskId"/> ends (or turns out unknown).</summary>
internal sealed record AwaitTaskEnd(string TaskId, TaskCompletionSource Waiter);

/// <summary><paramref name="Waiter"/> gave up (timeout, aborted request): forget it.</summary>
internal sealed record StopAwaiting(string TaskId, TaskCompletionSource Waiter);

/// <summary>Asks how many waits are held; answered by <see cref="TaskWaitCount"/> (diagnostics and tests).</summary>
internal sealed record CountTaskWaits
{
    public static CountTaskWaits Instance { get; } = new();
}

/// <summary><paramref name="Waiters"/> requests wait for <paramref name="Tasks"/> tasks.</summary>
internal sealed record TaskWaitCount(int Waiters, int Tasks);
