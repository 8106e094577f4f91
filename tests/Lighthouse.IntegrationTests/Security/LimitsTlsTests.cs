using Lighthouse.Client;
using Lighthouse.IntegrationTests.EndToEnd;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Security;

namespace Lighthouse.IntegrationTests.Security;

/// <summary>
/// Concurrency limits are admin only on a real TLS cluster: <c>lighthouse limits</c> and <c>limits set</c> with a client
/// certificate exit 1 with "permission denied" and change nothing; with an admin certificate they work.
/// </summary>
public sealed class LimitsTlsTests : IDisposable
{
    private readonly ClusterCertificates _certificates = new();

    [Fact]
    public async Task A_client_certificate_cannot_read_or_set_limits_exit_1_and_an_admin_certificate_can()
    {
        await using var host = await HostProcess.StartAsync(arguments: _certificates.Flags(LighthouseRole.Host, "h1"));
        var alice = _certificates.Flags(LighthouseRole.Client, "alice-ci", "alice");
        var ops = _certificates.Flags(LighthouseRole.Admin, "ops");

        var read = await CliProcess.RunAsync(["limits", "--host", host.Address, .. alice]);
        var set = await CliProcess.RunAsync(["limits", "set", "db", "7", "--host", host.Address, .. alice]);
        foreach (var refused in new[] { read, set })
        {
            Assert.True(refused.ExitCode == 1, $"{refused.Command}: exit {refused.ExitCode}\n{refused.Stdout}\n{refused.Stderr}");
            Assert.Contains("permission denied", refused.Stderr, StringComparison.Ordinal);
        }
        await using (var admin = await LighthouseClient.ConnectAsync(host.Address, new LighthouseClientOptions { Tls = _certificates.Credentials(LighthouseRole.Admin, "ops") }))
            Assert.DoesNotContain((await admin.GetConcurrencyLimitsAsync()).Keys, k => k.Key == "db");

        var byAdmin = await CliProcess.RunAsync(["limits", "set", "db", "7", "--json", "--host", host.Address, .. ops]);
        Assert.True(byAdmin.ExitCode == 0, $"{byAdmin.Command}: exit {byAdmin.ExitCode}\n{byAdmin.Stderr}");
        Assert.Equal(7, byAdmin.Json()["limit"]!.GetValue<int>());
    }

    public void Dispose() => _certificates.Dispose();
}
