using Akka.Hosting;
using Lighthouse.Security;

namespace Lighthouse.Hosting;

/// <summary>Mutual TLS for an Akka.Hosting ActorSystem that carries Lighthouse (scheduler, worker or client).</summary>
public static class LighthouseTlsHosting
{
    /// <summary>
    /// Turns on mutual TLS on the system's cluster port with <paramref name="credentials"/> (see <see cref="RemoteTls"/>):
    /// the transport's certificate and peer checks, and the credentials for Lighthouse's own use. Seeds and contacts
    /// must then use <c>akka.ssl.tcp://</c>. Null leaves the system as it is (plaintext).
    /// </summary>
    public static AkkaConfigurationBuilder WithLighthouseTls(this AkkaConfigurationBuilder builder, TlsCredentials? credentials)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (credentials is null) return builder;
        return builder
            .AddHocon(RemoteTls.TransportConfig, HoconAddMode.Prepend)
            .AddSetup(RemoteTls.Setup(credentials))
            .AddSetup(new LighthouseTlsSetup(credentials));
    }
}
