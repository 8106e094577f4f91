namespace Lighthouse.IntegrationTests.Fixtures;

/// <summary>Bounded polling of a condition the test cannot be told about.</summary>
public static class Eventually
{
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds and returns that value; throws <see cref="TimeoutException"/> with the last value after <paramref name="limit"/>.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {limit}; last seen: {value}");
            await Task.Delay(Poll);
        }
    }
}
