using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lighthouse.Security;

namespace Lighthouse.Host.Cli;

/// <summary><c>lighthouse certs show FILE</c>: what a certificate says, for an operator checking one by eye.</summary>
internal static class CertsShowCommand
{
    private const string Description = "Print what a certificate says: subject, Lighthouse identity, alternative names, validity, issuer.";

    public const string Details =
        """
        Output, one field a line:
          subject:  CN=ci, OU=client, O=Lighthouse
          identity: client "ci" for alice, bob
          names:    ci, localhost, 127.0.0.1
          valid:    2025-12-03 10:00:00Z to 2026-12-03 10:05:00Z
          issuer:   CN=Lighthouse CA, O=Lighthouse
          sha256:   3F:A2:...
        A certificate is only accepted by a node whose --tls-ca is its issuer; show does not check that.
        """;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A certificate file (PEM or DER), e.g. certs/w1.crt or ca/ca.crt." };
        var command = new Command("show", Description) { file };
        command.SetAction(parsed => CertsCommand.Run("show", parsed.InvocationConfiguration.Error, () =>
        {
            using var certificate = Load(parsed.GetValue(file)!);
            parsed.InvocationConfiguration.Output.Write(Describe(certificate));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static X509Certificate2 Load(string path)
    {
        if (Directory.Exists(path)) throw new CertificateInputException($"{path} is a directory, not a certificate file");
        if (!File.Exists(path)) throw new CertificateInputException($"{path}: no such file");
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CertificateInputException($"cannot read {path}: permission denied", e);
        }
        catch (Exception e) when (e is CryptographicException or IOException)
        {
            var key = e is CryptographicException && new FileInfo(path).Length < 65536 && File.ReadAllText(path).Contains("PRIVATE KEY", StringComparison.Ordinal) ? " (it is a private key: show the .crt beside it)" : "";
            throw new CertificateInputException($"{path} cannot be read as a certificate{key}: {e.Message}", e);
        }
    }

    /// <summary>The lines <c>show</c> prints for <paramref name="certificate"/>.</summary>
    internal static string Describe(X509Certificate2 certificate)
    {
        var isAuthority = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true };
        var identity = CertificateIdentity.Read(certificate, out var problem)?.ToString()
            ?? (isAuthority ? "none: a certificate authority (what --tls-ca names)" : problem);
        var alternatives = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault() is { } extension
            ? string.Join(", ", extension.EnumerateDnsNames().Concat(extension.EnumerateIPAddresses().Select(a => a.ToString())))
            : "none";
        var now = DateTime.Now;
        var state = now > certificate.NotAfter ? " (expired)" : now < certificate.NotBefore ? " (not yet valid)" : "";
        return $"""
            subject:  {certificate.Subject}
            identity: {identity}
            names:    {alternatives}
            valid:    {Time(certificate.NotBefore)} to {Time(certificate.NotAfter)}{state}
            issuer:   {certificate.Issuer}
            sha256:   {Fingerprint(certificate)}

            """;
    }

    private static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(pair => new string(pair)));

    private static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
