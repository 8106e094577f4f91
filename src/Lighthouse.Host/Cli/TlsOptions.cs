using System.CommandLine;

namespace Lighthouse.Host.Cli;

/// <summary>
/// <c>--tls-cert</c>, <c>--tls-key</c>, <c>--tls-ca</c> (and, for the host, <c>--insecure</c>): the same three files on
/// every command that opens a cluster connection, made by <c>lighthouse certs</c>. The variables LIGHTHOUSE_TLS_CERT,
/// LIGHTHOUSE_TLS_KEY and LIGHTHOUSE_TLS_CA stand in for any of them not given.
/// </summary>
public sealed class TlsOptions
{
    public Option<string> Certificate { get; } = new("--tls-cert")
    {
        Description = "This program's certificate (PEM, from `lighthouse certs issue`); with --tls-key and --tls-ca turns on mutual TLS. Also LIGHTHOUSE_TLS_CERT.",
        HelpName = "FILE",
    };

    public Option<string> Key { get; } = new("--tls-key") { Description = "The certificate's private key (PEM). Also LIGHTHOUSE_TLS_KEY.", HelpName = "FILE" };

    public Option<string> Authority { get; } = new("--tls-ca") { Description = "The cluster's CA certificate (PEM): every peer's must chain to it. Also LIGHTHOUSE_TLS_CA.", HelpName = "FILE" };

    public Option<bool> Insecure { get; } = new("--insecure") { Description = "Allow listening off loopback without TLS (a warning is logged). Only on a network you trust." };

    public void AddTo(Command command, bool withInsecure)
    {
        command.Add(Certificate);
        command.Add(Key);
        command.Add(Authority);
        if (withInsecure) command.Add(Insecure);
    }
}
