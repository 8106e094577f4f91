using System.Globalization;

namespace Lighthouse.Worker.Cli;

/// <summary>A cluster node to join through, as <c>HOST:PORT</c>.</summary>
public sealed record SeedNode(string Host, int Port)
{
    /// <summary>The seed's Akka address in the Lighthouse ActorSystem.</summary>
    public string Address => AddressFor(tls: false);

    /// <summary>The seed's Akka address with the scheme of a TLS (<c>akka.ssl.tcp</c>) or plaintext (<c>akka.tcp</c>) cluster.</summary>
    public string AddressFor(bool tls) =>
        $"{Lighthouse.Security.RemoteTls.Scheme(tls)}://{LighthouseNames.ActorSystem}@{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The host's default address on this machine.</summary>
    public static SeedNode Local { get; } = new("127.0.0.1", LighthouseNames.DefaultClusterPort);

    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
