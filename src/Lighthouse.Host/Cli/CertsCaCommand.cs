using System.CommandLine;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Host.Cli;

/// <summary><c>lighthouse certs ca --out DIR</c>: a new private CA, <c>DIR/ca.crt</c> and <c>DIR/ca.key</c>.</summary>
internal static class CertsCaCommand
{
    private const string Description = "Create the cluster's private certificate authority: DIR/ca.crt and DIR/ca.key (PEM).";

    public const string Details =
        """
        ca.crt goes to every node (--tls-ca): a peer is let in only with a certificate this CA issued.
        ca.key signs certificates (lighthouse certs issue); it is written readable by you only, in a directory
        created readable by you only. An existing ca.crt or ca.key is not replaced without --force: a new CA
        means issuing every certificate again.
        """;

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The directory to write ca.crt and ca.key to; created if needed.", HelpName = "DIR", Required = true };
        var name = new Option<string>("--name") { Description = "The CA's name (its certificate's CN).", HelpName = "NAME", DefaultValueFactory = _ => "Lighthouse CA" };
        var days = new Option<int?>("--days") { Description = "How long the CA is valid. Default 3650 (ten years).", HelpName = "N" };
        var force = new Option<bool>("--force") { Description = "Replace an existing ca.crt and ca.key." };
        var command = new Command("ca", Description) { output, name, days, force };
        command.SetAction(parsed => CertsCommand.Run("ca", parsed.InvocationConfiguration.Error, () => Execute(
            parsed.GetValue(output)!, parsed.GetValue(name)!, parsed.GetValue(days), parsed.GetValue(force), parsed.InvocationConfiguration.Output)));
        return command;
    }

    private static int Execute(string directory, string name, int? days, bool force, TextWriter stdout)
    {
        if (NameRules.Problem(name, "--name") is { } problem) throw new CertificateInputException(problem);
        var validity = CertificateFiles.Validity(days, CertificateAuthority.DefaultAuthorityValidity);
        var certificatePath = Path.Combine(directory, CertificateFiles.AuthorityCertificate);
        var keyPath = Path.Combine(directory, CertificateFiles.AuthorityKey);
        CertificateFiles.EnsureDirectory(directory, "--out");
        CertificateFiles.RefuseToOverwrite(force, " (a new CA means issuing every certificate again)", keyPath, certificatePath);

        using var authority = CertificateAuthority.Create(name, validity);
        CertificateFiles.Write(certificatePath, keyPath, authority);
        stdout.WriteLine($"wrote {certificatePath} (CA \"{name}\", valid until {CertificateFiles.Date(authority.NotAfter)}: every node's --tls-ca)");
        stdout.WriteLine($"wrote {keyPath} (its private key, readable by you only: keep it where you issue certificates, off the nodes)");
        return ExitCodes.Success;
    }
}
