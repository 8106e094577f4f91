using Lighthouse.Worker.Agent;

namespace Lighthouse.Worker.Tests.Agent;

public sealed class RegistrationBackoffTests
{
    [Fact]
    public void Doubles_from_the_minimum_up_to_the_maximum_and_starts_over_after_a_reset()
    {
        var backoff = new RegistrationBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3));
        var waits = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalMilliseconds).ToList();
        Assert.Equal([500, 1000, 2000, 3000, 3000, 3000], waits);

        backoff.Reset();
        Assert.Equal(TimeSpan.FromMilliseconds(500), backoff.Next());
    }
}
