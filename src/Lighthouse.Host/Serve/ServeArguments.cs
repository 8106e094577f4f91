namespace Lighthouse.Host.Serve;

/// <summary>
/// What <c>lighthouse serve</c> was given on its command line, as typed: null when not given. Values are checked
/// when the configuration is composed (<see cref="HostConfiguration"/>), so a bad one is reported with its flag.
/// </summary>
public sealed record ServeArguments(
    string? ConfigFile = null,
    string? Hostname = null,
    string? Port = null,
    string? HttpPort = null,
    bool NoLocalWorker = false,
    string? DataDir = null,
    string? TlsCertificate = null,
    string? TlsKey = null,
    string? TlsAuthority = null,
    bool Insecure = false);
