using Akka.Configuration;

namespace Lighthouse.Security;

/// <summary>
/// Where a node's TLS material lives (<c>lighthouse.tls</c>: certificate, key and CA as PEM files), and whether it
/// may run without TLS off loopback (<c>lighthouse.tls.insecure</c>). <see cref="Enabled"/> when all three files are
/// named; naming only some of them is an error, never a silent plaintext fallback.
/// </summary>
public sealed record TlsSettings(string? CertificatePath, string? KeyPath, string? AuthorityPath, bool Insecure = false)
{
    /// <summary>The configuration section.</summary>
    public const string Section = "lighthouse.tls";

    /// <summary>No TLS.</summary>
    public static TlsSettings None { get; } = new(null, null, null);

    /// <summary>All three files are named.</summary>
    public bool Enabled => CertificatePath is not null;

    /// <summary>Reads <c>lighthouse.tls</c> (the library's empty defaults when absent); throws <see cref="TlsConfigurationException"/> for a partial set.</summary>
    public static TlsSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.HasPath(Section) ? config.GetConfig(Section) : Config.Empty;
        string? Path(string key) => section.HasPath(key) && section.GetString(key) is { Length: > 0 } value ? value : null;
        return Create(Path("certificate"), Path("key"), Path("ca"), section.HasPath("insecure") && section.GetBoolean("insecure"), $"{Section}.certificate, .key and .ca");
    }

    /// <summary>
    /// Settings from three paths (any of them null or empty for none); <paramref name="names"/> says where they came
    /// from for the error when only some are given (e.g. "--tls-cert, --tls-key and --tls-ca").
    /// </summary>
    public static TlsSettings Create(string? certificate, string? key, string? authority, bool insecure, string names)
    {
        static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
        certificate = Blank(certificate);
        key = Blank(key);
        authority = Blank(authority);
        var given = new[] { certificate, key, authority }.Count(p => p is not null);
        if (given is not 0 and not 3)
            throw new TlsConfigurationException($"TLS needs all of {names} (certificate, key and CA); only {given} of the 3 {(given == 1 ? "was" : "were")} given");
        return new TlsSettings(certificate, key, authority, insecure);
    }

    /// <summary>Loads and checks the files (<see cref="TlsCredentials.Load"/>); null without TLS.</summary>
    public TlsCredentials? Load() => Enabled ? TlsCredentials.Load(CertificatePath!, KeyPath!, AuthorityPath!) : null;

    /// <summary>The HOCON that goes with these settings, to put in front of a node's configuration.</summary>
    public Config ToConfig()
    {
        static string Quote(string? value) => "\"" + (value ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        return ConfigurationFactory.ParseString(
            $"{Section} {{ certificate = {Quote(CertificatePath)}, key = {Quote(KeyPath)}, ca = {Quote(AuthorityPath)}, insecure = {(Insecure ? "on" : "off")} }}");
    }
}
