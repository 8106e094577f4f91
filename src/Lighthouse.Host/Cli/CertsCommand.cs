using System.CommandLine;

namespace Lighthouse.Host.Cli;

/// <summary>
/// <c>lighthouse certs</c>: the cluster's credentials, made with .NET's own X.509 APIs: a private CA once
/// (<see cref="CertsCaCommand"/>), then one certificate per host, worker and client (<see cref="CertsIssueCommand"/>),
/// and a look inside any of them (<see cref="CertsShowCommand"/>).
/// </summary>
internal static class CertsCommand
{
    public const string Name = "certs";

    private const string Description =
        "Make the cluster's TLS credentials: a private CA once (certs ca), then one certificate per host, worker and client (certs issue).";

    /// <summary>The flow and exit codes, shown after <c>lighthouse certs --help</c>.</summary>
    public const string Details =
        """
        Make a CA once, then issue one certificate per host, worker and client with it; each node gets its NAME.crt,
        NAME.key and the CA's ca.crt (--tls-cert, --tls-key, --tls-ca). Keep ca.key where you issue, off the nodes.
          lighthouse certs ca --out ca
          lighthouse certs issue --ca ca --role host --name h1 --san h1.example.org --out certs
          lighthouse certs issue --ca ca --role worker --name w1 --out certs
          lighthouse certs issue --ca ca --role client --name ci --user alice --out certs
          lighthouse certs show certs/ci.crt

        Exit codes: 0 done, 2 bad input (one line on stderr says what: an unknown role, an unsafe name, a missing
        CA file, a file that exists without --force).
        """;

    public static Command Create(DetailedHelpAction help)
    {
        var command = new Command(Name, Description);
        command.Add(help.Describe(CertsCaCommand.Create(), CertsCaCommand.Details));
        command.Add(help.Describe(CertsIssueCommand.Create(), CertsIssueCommand.Details));
        command.Add(help.Describe(CertsShowCommand.Create(), CertsShowCommand.Details));
        return help.Describe(command, Details);
    }

    /// <summary>Runs <paramref name="work"/>; a refused input is one line on stderr (<c>lighthouse certs SUBCOMMAND: ...</c>) and exit 2.</summary>
    public static int Run(string subcommand, TextWriter stderr, Func<int> work)
    {
        try
        {
            return work();
        }
        catch (CertificateInputException refused)
        {
            stderr.WriteLine($"{LighthouseCommandLine.Name} {Name} {subcommand}: {OneLine(refused.Message)}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>A message that quotes a name with a line break in it still takes one line: control characters as \uXXXX.</summary>
    private static string OneLine(string message) =>
        string.Concat(message.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
