namespace Lighthouse.Tests.Shared;

/// <summary>Bounded polling of a condition a test cannot be told about, and bounded awaiting of a task.</summary>
internal static class Eventually
{
    /// <summary>How long a test waits when it names no limit of its own.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Polls <paramref name="read"/> until <paramref name="done"/> holds and returns that value; throws
    /// <see cref="TimeoutException"/> with the last value (shown by <paramref name="describe"/>, if given) after <paramref name="limit"/>.
    /// </summary>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan limit, string what, Func<T, string>? describe = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what}: not within {limit}; last seen: {(describe is null ? value : describe(value))}");
            await Task.Delay(Poll);
        }
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> after <paramref name="limit"/>
    /// (<see cref="Bound"/> by default), adding what <paramref name="context"/> tells, such as the logs of the processes under test.
    /// </summary>
    public static Task Holds(Func<Task<bool>> condition, string what, TimeSpan? limit = null, Func<string>? context = null) =>
        Until(condition, held => held, limit ?? Bound, what, _ => context is null ? "false" : $"false\n{context()}");

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Bound"/>.</summary>
    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Bound);

    public static Task Within(this Task task) => task.WaitAsync(Bound);
}
