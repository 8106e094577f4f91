using Akka.Actor.Setup;

namespace Lighthouse.Security;

/// <summary>
/// Carries a node's <see cref="TlsCredentials"/> in its ActorSystem's setup, beside Akka's own TLS setup, so that
/// Lighthouse's actors (the identity handshake, the web host's HTTPS) find the same certificate the transport uses:
/// <see cref="RemoteTls.CredentialsOf"/>.
/// </summary>
public sealed class LighthouseTlsSetup(TlsCredentials credentials) : Setup
{
    public TlsCredentials Credentials { get; } = credentials ?? throw new ArgumentNullException(nameof(credentials));
}
