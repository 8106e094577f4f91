namespace Lighthouse.Host.Serve;

/// <summary>The environment variables a host reads: the few settings that differ from machine to machine.</summary>
public static class HostEnvironment
{
    /// <summary>The address to bind (<c>akka.remote.dot-netty.tcp.hostname</c>).</summary>
    public const string Hostname = "LIGHTHOUSE_HOSTNAME";

    /// <summary>The address other members reach this host at (<c>akka.remote.dot-netty.tcp.public-hostname</c>).</summary>
    public const string PublicHostname = "LIGHTHOUSE_PUBLIC_HOSTNAME";

    /// <summary>The cluster port (<c>akka.remote.dot-netty.tcp.port</c>).</summary>
    public const string Port = "LIGHTHOUSE_PORT";

    /// <summary>Comma-separated <c>HOST:PORT</c> of members to join through (<c>akka.cluster.seed-nodes</c>).</summary>
    public const string Seeds = "LIGHTHOUSE_SEEDS";

    /// <summary>The web monitor's port (<c>lighthouse.host.http.port</c>).</summary>
    public const string HttpPort = "LIGHTHOUSE_HTTP_PORT";

    /// <summary>The directory of the scheduler's SQLite database (<c>lighthouse.persistence.data-dir</c>).</summary>
    public const string DataDir = "LIGHTHOUSE_DATA_DIR";

    /// <summary>This node's TLS certificate, PEM (<c>lighthouse.tls.certificate</c>).</summary>
    public const string TlsCertificate = "LIGHTHOUSE_TLS_CERT";

    /// <summary>Its private key, PEM (<c>lighthouse.tls.key</c>).</summary>
    public const string TlsKey = "LIGHTHOUSE_TLS_KEY";

    /// <summary>The cluster's CA certificate, PEM (<c>lighthouse.tls.ca</c>).</summary>
    public const string TlsAuthority = "LIGHTHOUSE_TLS_CA";

    public static IReadOnlyList<string> Names { get; } = [Hostname, PublicHostname, Port, Seeds, HttpPort, DataDir, TlsCertificate, TlsKey, TlsAuthority];

    /// <summary>The variables of this process that a host reads; an empty value counts as unset.</summary>
    public static IReadOnlyDictionary<string, string> OfProcess() =>
        Names.Select(name => (name, value: Environment.GetEnvironmentVariable(name)))
            .Where(v => !string.IsNullOrEmpty(v.value))
            .ToDictionary(v => v.name, v => v.value!, StringComparer.Ordinal);
}
