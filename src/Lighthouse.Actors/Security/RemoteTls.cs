using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace Lighthouse.Security;

/// <summary>
/// Mutual TLS on Akka.Remote, the Lighthouse way: both ends of every connection present a certificate, which must
/// chain to the cluster's own CA (the system's trusted roots do not count) and carry a Lighthouse identity whose
/// role this kind of node talks to. Host names are not checked: nodes dial each other by IP as often as by name,
/// and the CA check already says "one of ours". A refusal is logged as one line naming the peer and the reason,
/// at most one line per <see cref="RefusalLogInterval"/> (with a count of the ones left out), so that a port
/// scanner cannot flood the log.
/// </summary>
public static class RemoteTls
{
    /// <summary>The actor-path scheme of a TLS node (Akka's DotNetty transport names it so).</summary>
    public const string SecureScheme = "akka.ssl.tcp";

    /// <summary>The actor-path scheme of a plaintext node.</summary>
    public const string PlainScheme = "akka.tcp";

    /// <summary>How often at most a refused handshake is logged.</summary>
    public static readonly TimeSpan RefusalLogInterval = TimeSpan.FromSeconds(5);

    /// <summary>Turns TLS on in the DotNetty transport; the certificate and the checks come with <see cref="Setup"/>.</summary>
    public static Config TransportConfig { get; } = ConfigurationFactory.ParseString("""
        akka.remote.dot-netty.tcp {
          enable-ssl = on
          ssl {
            suppress-validation = off
            require-mutual-authentication = on
            validate-certificate-hostname = off
          }
        }
        """);

    /// <summary>The scheme for addresses this node dials and is known by.</summary>
    public static string Scheme(bool tls) => tls ? SecureScheme : PlainScheme;

    /// <summary>The peers a node of <paramref name="role"/> talks to: a host to everyone, a worker to hosts and workers (cluster members heartbeat each other), a client or admin only to hosts.</summary>
    public static IReadOnlySet<LighthouseRole> PeersOf(LighthouseRole role) => role switch
    {
        LighthouseRole.Host => new HashSet<LighthouseRole> { LighthouseRole.Host, LighthouseRole.Worker, LighthouseRole.Client, LighthouseRole.Admin },
        LighthouseRole.Worker => new HashSet<LighthouseRole> { LighthouseRole.Host, LighthouseRole.Worker },
        _ => new HashSet<LighthouseRole> { LighthouseRole.Host },
    };

    /// <summary>
    /// An ActorSystem's setup with TLS: <paramref name="config"/> in front of <see cref="TransportConfig"/>, the
    /// transport's certificate and checks (<see cref="Setup"/>), and the credentials for Lighthouse's own use
    /// (<see cref="CredentialsOf"/>). Without <paramref name="credentials"/>, <paramref name="config"/> alone.
    /// </summary>
    public static ActorSystemSetup Bootstrap(Config config, TlsCredentials? credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (credentials is null) return ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config));
        return BootstrapSetup.Create().WithConfig(config.WithFallback(TransportConfig)).And(Setup(credentials)).And(new LighthouseTlsSetup(credentials));
    }

    /// <summary>The TLS credentials <paramref name="system"/> was started with (<see cref="Bootstrap"/>, or Akka.Hosting's <c>AddSetup</c> of a <see cref="LighthouseTlsSetup"/>); null for a plaintext system.</summary>
    public static TlsCredentials? CredentialsOf(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.Settings.Setup.Get<LighthouseTlsSetup>().Value?.Credentials;
    }

    /// <summary>
    /// The Akka setup that carries <paramref name="credentials"/> into the transport, with the validator that checks
    /// every peer against the CA and <see cref="PeersOf"/> this node's role. Add it to the ActorSystem's setup
    /// (<c>BootstrapSetup.And</c>, or Akka.Hosting's <c>AddSetup</c>) together with <see cref="TransportConfig"/>.
    /// </summary>
    public static DotNettySslSetup Setup(TlsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var peers = PeersOf(credentials.Identity.Role);
        var refusals = new RefusalLog();
        return new DotNettySslSetup(credentials.Certificate, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false,
            customValidator: (certificate, chain, peer, _, log) =>
            {
                var problem = Check(credentials, peers, certificate, chain);
                if (problem is null) return true;
                refusals.Write(log, peer, problem);
                return false;
            });
    }

    /// <summary>Why <paramref name="certificate"/> is refused by a node with <paramref name="credentials"/> that talks to <paramref name="peers"/>; null when it is accepted.</summary>
    internal static string? Check(TlsCredentials credentials, IReadOnlySet<LighthouseRole> peers, X509Certificate2? certificate, X509Chain? chain)
    {
        if (certificate is null) return "it presented no certificate";
        X509Certificate2Collection? intermediates = null;
        if (chain is not null && chain.ChainElements.Count > 1)
        {
            intermediates = [];
            foreach (var element in chain.ChainElements.Skip(1)) intermediates.Add(element.Certificate);
        }
        var identity = credentials.Verify(certificate, intermediates, out var problem);
        if (identity is null) return problem;
        if (!peers.Contains(identity.Role))
            return $"it is {identity}, and a {credentials.Identity.Role.Name()} talks only to {string.Join(", ", peers.Select(r => r.Name()))}";
        return null;
    }

    /// <summary>Is <paramref name="hostname"/> a loopback address or <c>localhost</c>? (The only place Lighthouse runs without TLS unless told it may.)</summary>
    public static bool IsLoopback(string? hostname)
    {
        if (string.IsNullOrWhiteSpace(hostname)) return false;
        if (string.Equals(hostname, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(hostname.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>
    /// The start-up rule: a node bound to <paramref name="hostname"/> that is not loopback needs TLS, unless
    /// <see cref="TlsSettings.Insecure"/>. Returns the refusal to print (one line saying how to make certificates),
    /// or null when the node may start.
    /// </summary>
    public static string? RefusalToStart(string component, string? hostname, TlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Enabled || settings.Insecure || IsLoopback(hostname)) return null;
        return $"{component} would listen on {hostname} without TLS: anything that reaches the port could act as any worker or user. " +
               "Make certificates with `lighthouse certs ca --out ca` and `lighthouse certs issue --ca ca --role ... --name ... --out certs`, " +
               "then give --tls-cert, --tls-key and --tls-ca (or LIGHTHOUSE_TLS_*); or pass --insecure on a network you trust.";
    }

    /// <summary>At most one refusal line per interval, then how many were left out.</summary>
    private sealed class RefusalLog
    {
        private readonly object _gate = new();
        private DateTime _lastLine = DateTime.MinValue;
        private int _leftOut;

        public void Write(ILoggingAdapter? log, string? peer, string problem)
        {
            string? extra;
            lock (_gate)
            {
                var now = DateTime.UtcNow;
                if (now - _lastLine < RefusalLogInterval)
                {
                    _leftOut++;
                    return;
                }
                extra = _leftOut > 0 ? $" ({_leftOut} more refused since the last such line)" : null;
                _lastLine = now;
                _leftOut = 0;
            }
            log?.Warning("TLS handshake refused with {0}: {1}{2}", string.IsNullOrEmpty(peer) ? "a peer" : peer, problem, extra ?? "");
        }
    }
}
