using System.Globalization;
using Akka.Actor;

namespace Lighthouse.Client;

/// <summary>
/// Turns what a user types to name a Lighthouse host into the path of its ClusterClient receptionist:
/// <c>HOST:PORT</c>, <c>HOST</c> (port 4053), <c>[::1]:4053</c>, or a full <c>akka.tcp://lighthouse@HOST:PORT/system/receptionist</c>.
/// The scheme follows the client's transport (<c>akka.ssl.tcp</c> with TLS, <c>akka.tcp</c> without), whatever a
/// full path says: a TLS client cannot reach a plaintext address, nor the other way round.
/// </summary>
public static class LighthouseContacts
{
    /// <summary>Where the ClusterClientReceptionist extension runs on every node.</summary>
    public const string ReceptionistPath = "/system/receptionist";

    /// <summary>The receptionist path of <paramref name="host"/>; throws <see cref="FormatException"/> naming the value and what is wrong.</summary>
    public static ActorPath Parse(string host) => Parse(host, tls: false);

    /// <summary>As <see cref="Parse(string)"/>, for a client that talks TLS when <paramref name="tls"/>.</summary>
    public static ActorPath Parse(string host, bool tls)
    {
        var path = ParseAny(host);
        var scheme = Security.RemoteTls.Scheme(tls);
        return path.Address.Protocol == scheme ? path : new RootActorPath(path.Address.WithProtocol(scheme)) / path.Elements;
    }

    private static ActorPath ParseAny(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var text = host.Trim();
        if (text.Length == 0)
            throw Invalid(host, "it is empty; expected HOST:PORT, e.g. 127.0.0.1:4053");

        if (text.Contains("://", StringComparison.Ordinal))
        {
            var afterScheme = text.IndexOf("://", StringComparison.Ordinal) + 3;
            var full = text.IndexOf('/', afterScheme) >= 0 ? text : text + ReceptionistPath;
            if (!ActorPath.TryParse(full, out var path) || path.Address.Host is null || path.Address.Port is null)
                throw Invalid(host, "it is not an actor path like akka.tcp://lighthouse@HOST:PORT/system/receptionist");
            return path;
        }

        var (name, port) = SplitHostAndPort(host, text);
        var hostPart = name.Contains(':') ? $"[{name}]" : name;
        return ActorPath.Parse($"akka.tcp://{LighthouseNames.ActorSystem}@{hostPart}:{port.ToString(CultureInfo.InvariantCulture)}{ReceptionistPath}");
    }

    /// <summary><c>HOST:PORT</c> of a receptionist path, for messages.</summary>
    public static string Describe(ActorPath contact) =>
        contact.Address.Host is { } name && contact.Address.Port is { } port
            ? $"{(name.Contains(':') && !name.StartsWith('[') ? $"[{name}]" : name)}:{port.ToString(CultureInfo.InvariantCulture)}"
            : contact.ToString();

    private static (string Host, int Port) SplitHostAndPort(string original, string text)
    {
        string name;
        string? portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0) throw Invalid(original, "the IPv6 address has no closing ]");
            name = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length == 0) portText = null;
            else if (rest[0] == ':') portText = rest[1..];
            else throw Invalid(original, $"unexpected \"{rest}\" after the IPv6 address");
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':') != colon)
                throw Invalid(original, "an IPv6 address needs brackets, e.g. [::1]:4053");
            name = colon < 0 ? text : text[..colon];
            portText = colon < 0 ? null : text[(colon + 1)..];
        }

        if (name.Length == 0) throw Invalid(original, "the host name is empty");
        if (name.Any(c => char.IsWhiteSpace(c) || c is '/' or '@' or '[' or ']'))
            throw Invalid(original, $"\"{name}\" is not a host name or address");
        if (portText is null) return (name, LighthouseNames.DefaultClusterPort);
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw Invalid(original, $"the port \"{portText}\" is not a number from 1 to 65535");
        return (name, port);
    }

    private static FormatException Invalid(string host, string why) => new($"host \"{host}\" is invalid: {why}");
}
