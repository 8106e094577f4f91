using System.CommandLine;
using System.Net;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Host.Cli;

/// <summary>
/// <c>lighthouse certs issue --ca DIR --role ROLE --name NAME --out DIR2</c>: a certificate for one host, worker or
/// client, <c>DIR2/NAME.crt</c> and <c>DIR2/NAME.key</c>, with its identity (role, name, users) written into it.
/// </summary>
internal static class CertsIssueCommand
{
    private const string Description = "Issue a certificate for one host, worker, client or admin: DIR2/NAME.crt and DIR2/NAME.key (PEM), signed by the CA in DIR.";

    public const string Details =
        """
        Roles: host runs the scheduler and acts for every user; worker registers only the node named --name;
        client acts only for its --user names (at least one); admin acts for every user, runs nothing.
        The subject alternative names are --name, localhost and 127.0.0.1, then each --san (a DNS name or an IP).
        The certificate is valid for --days, but never beyond the CA's own expiry: it is cut short to that.
        NAME.key is written readable by you only. An existing NAME.crt or NAME.key is not replaced without --force.
        """;

    public static Command Create()
    {
        var authority = new Option<string>("--ca") { Description = "The directory holding ca.crt and ca.key (lighthouse certs ca).", HelpName = "DIR", Required = true };
        var role = new Option<string>("--role") { Description = "What the holder may be: host, worker, client or admin.", HelpName = "ROLE", Required = true };
        var name = new Option<string>("--name") { Description = "The holder's name (a worker's node name); also the file name.", HelpName = "NAME", Required = true };
        var users = new Option<string[]>("--user") { Description = "A user a client may act for; repeat for several. Only for --role client.", HelpName = "USER" };
        var sans = new Option<string[]>("--san") { Description = "Another DNS name or IP address the holder is reached at; repeat for several.", HelpName = "NAME_OR_IP" };
        var output = new Option<string>("--out") { Description = "The directory to write NAME.crt and NAME.key to; created if needed.", HelpName = "DIR2", Required = true };
        var days = new Option<int?>("--days") { Description = "How long the certificate is valid, at most until the CA expires. Default 365.", HelpName = "N" };
        var force = new Option<bool>("--force") { Description = "Replace an existing NAME.crt and NAME.key." };
        var command = new Command("issue", Description) { authority, role, name, users, sans, output, days, force };
        command.SetAction(parsed => CertsCommand.Run("issue", parsed.InvocationConfiguration.Error, () => Execute(
            new Request(
                parsed.GetValue(authority)!,
                parsed.GetValue(role)!,
                parsed.GetValue(name)!,
                parsed.GetValue(users) ?? [],
                parsed.GetValue(sans) ?? [],
                parsed.GetValue(output)!,
                parsed.GetValue(days),
                parsed.GetValue(force)),
            parsed.InvocationConfiguration.Output)));
        return command;
    }

    private sealed record Request(string Authority, string Role, string Name, string[] Users, string[] Sans, string Output, int? Days, bool Force);

    private static int Execute(Request request, TextWriter stdout)
    {
        // Everything the command line says is checked before a file is read or written.
        var identity = Identity(request.Role, request.Name, request.Users);
        var baseName = CertificateFiles.BaseName(request.Name);
        foreach (var san in request.Sans)
        {
            if (!IPAddress.TryParse(san, out _) && Uri.CheckHostName(san) != UriHostNameType.Dns)
                throw new CertificateInputException($"--san \"{san}\" is neither a DNS name nor an IP address");
        }
        var validity = CertificateFiles.Validity(request.Days, CertificateAuthority.DefaultValidity);

        using var authority = CertificateFiles.LoadAuthority(request.Authority);
        var certificatePath = Path.Combine(request.Output, baseName + ".crt");
        var keyPath = Path.Combine(request.Output, baseName + ".key");
        CertificateFiles.RefuseToReplaceAuthority(request.Authority, keyPath, certificatePath);
        CertificateFiles.EnsureDirectory(request.Output, "--out");
        CertificateFiles.RefuseToOverwrite(request.Force, "", keyPath, certificatePath);

        using var certificate = CertificateAuthority.Issue(authority, identity, request.Sans, validity);
        CertificateFiles.Write(certificatePath, keyPath, certificate);
        var cutShort = certificate.NotAfter >= authority.NotAfter ? ", when the CA expires" : "";
        stdout.WriteLine($"issued {identity}: {certificatePath}, {keyPath} (valid until {CertificateFiles.Date(certificate.NotAfter)}{cutShort})");
        return ExitCodes.Success;
    }

    /// <summary>The identity the options describe: a known role, a name by the name rules, users for a client and only for a client.</summary>
    private static CertificateIdentity Identity(string roleText, string name, string[] users)
    {
        if (!LighthouseRoles.TryParse(roleText, out var role))
            throw new CertificateInputException($"--role \"{roleText}\" is not a role: use host, worker, client or admin");
        if (NameRules.Problem(name, "--name") is { } nameProblem) throw new CertificateInputException(nameProblem);
        foreach (var user in users)
        {
            if (NameRules.Problem(user, "--user") is { } userProblem) throw new CertificateInputException(userProblem);
        }
        if (role == LighthouseRole.Client && users.Length == 0)
            throw new CertificateInputException("a client certificate needs at least one --user (the users it may act for)");
        if (role != LighthouseRole.Client && users.Length > 0)
        {
            var why = role switch
            {
                LighthouseRole.Worker => "a worker acts for no user",
                LighthouseRole.Admin => "an admin acts for every user",
                _ => "a host acts for every user",
            };
            throw new CertificateInputException($"--user is only for a client certificate: {why}");
        }
        return new CertificateIdentity(role, name, users.Distinct(StringComparer.Ordinal).ToList());
    }
}
