namespace Lighthouse.Actors.Tests.Client;

internal static class Eventually
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <see cref="Bound"/>.</summary>
    public static async Task Holds(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not within {Bound}: {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Bound"/>.</summary>
    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Bound);

    public static Task Within(this Task task) => task.WaitAsync(Bound);
}
