using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Client;

/// <summary>One in-test host for a whole test class: starting a cluster node costs about a second.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    internal TestHost Host { get; private set; } = null!;

    /// <summary>The <c>--host</c> arguments that reach the in-test host.</summary>
    public string[] HostArgs => ["--host", Host.Address];

    public async Task InitializeAsync() => Host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
