namespace Lighthouse.IntegrationTests.EndToEnd;

/// <summary>A host and two plain workers, shared by the tests of one class.</summary>
public sealed class TwoEchoWorkers : IAsyncLifetime
{
    public EndToEndCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await EndToEndCluster.StartAsync(new EndToEndCluster.Worker("w1"), new EndToEndCluster.Worker("w2"));

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}
