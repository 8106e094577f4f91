using System.Net;
using System.Security.Cryptography.X509Certificates;
using Lighthouse.Security;

namespace Lighthouse.Host.Tests.Cli;

/// <summary><c>lighthouse certs</c> in process, in a temporary directory: the flow from a CA to loaded credentials, and every input it refuses.</summary>
public sealed class CertsCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lighthouse-certs-test-").FullName;

    private string Ca => Path.Combine(_root, "ca");
    private string Out => Path.Combine(_root, "certs");
    private string In(params string[] parts) => Path.Combine([_root, .. parts]);

    private CommandLineRun MakeCa(string? directory = null, params string[] extra) =>
        CommandLineRun.Of(["certs", "ca", "--out", directory ?? Ca, .. extra]);

    private CommandLineRun Issue(params string[] args) => CommandLineRun.Of(["certs", "issue", "--ca", Ca, "--out", Out, .. args]);

    private static void AssertRefused(CommandLineRun run, params string[] expected)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Single(run.Stderr.TrimEnd().Split('\n'));
        foreach (var text in expected) Assert.Contains(text, run.Stderr);
    }

    [Fact]
    public void A_CA_then_one_certificate_per_role_load_as_credentials_with_their_identity()
    {
        var ca = MakeCa();
        Assert.Equal(0, ca.ExitCode);
        Assert.Equal("", ca.Stderr);
        Assert.Contains($"wrote {In("ca", "ca.crt")}", ca.Stdout);
        Assert.Contains($"wrote {In("ca", "ca.key")}", ca.Stdout);

        var expected = new (string Role, string Name, string[] Users)[]
        {
            ("host", "h1", []), ("worker", "vm:4053", []), ("client", "ci", ["alice", "bob"]), ("admin", "ops", []),
        };
        foreach (var (role, name, users) in expected)
        {
            var run = Issue(["--role", role, "--name", name, .. users.SelectMany(u => new[] { "--user", u })]);
            Assert.Equal(0, run.ExitCode);
            Assert.Equal("", run.Stderr);
            var (certificate, key) = (In("certs", name + ".crt"), In("certs", name + ".key"));
            var identity = users.Length > 0 ? $"{role} \"{name}\" for {string.Join(", ", users)}" : $"{role} \"{name}\"";
            Assert.StartsWith($"issued {identity}: {certificate}, {key} (valid until ", run.Stdout);

            var credentials = TlsCredentials.Load(certificate, key, In("ca", "ca.crt"));
            Assert.Equal(role, credentials.Identity.Role.Name());
            Assert.Equal(name, credentials.Identity.Name);
            Assert.Equal(users, credentials.Identity.Users);
        }
    }

    [Fact]
    public void Keys_are_readable_by_their_owner_only_and_certificates_by_anyone()
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(0, MakeCa().ExitCode);
        Assert.Equal(0, Issue("--role", "worker", "--name", "w1").ExitCode);

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(In("ca", "ca.key")));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(In("certs", "w1.key")));
        Assert.True(File.GetUnixFileMode(In("certs", "w1.crt")).HasFlag(UnixFileMode.OtherRead));
        // The directories were made for the keys: nobody else may list or enter them.
        Assert.Equal(ownerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(Ca));
        Assert.Equal(ownerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(Out));
    }

    [Fact]
    public void Alternative_names_are_the_name_localhost_and_127_0_0_1_then_each_san()
    {
        Assert.Equal(0, MakeCa().ExitCode);
        Assert.Equal(0, Issue("--role", "host", "--name", "h1", "--san", "h1.example.org", "--san", "10.0.0.5", "--san", "::1").ExitCode);

        using var certificate = X509CertificateLoader.LoadCertificateFromFile(In("certs", "h1.crt"));
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["h1", "localhost", "h1.example.org"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.Parse("10.0.0.5"), IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
    }

    [Fact]
    public void Days_set_the_validity_and_are_cut_short_at_the_CAs_own_expiry()
    {
        Assert.Equal(0, MakeCa(null, "--days", "30").ExitCode);
        var shortOne = Issue("--role", "worker", "--name", "w1", "--days", "2");
        var longOne = Issue("--role", "worker", "--name", "w2", "--days", "400");

        using var ca = X509CertificateLoader.LoadCertificateFromFile(In("ca", "ca.crt"));
        using var w1 = X509CertificateLoader.LoadCertificateFromFile(In("certs", "w1.crt"));
        using var w2 = X509CertificateLoader.LoadCertificateFromFile(In("certs", "w2.crt"));
        Assert.InRange(w1.NotAfter - DateTime.Now, TimeSpan.FromDays(1.9), TimeSpan.FromDays(2.1));
        Assert.DoesNotContain("when the CA expires", shortOne.Stdout);
        Assert.Equal(ca.NotAfter, w2.NotAfter);
        Assert.Contains($"(valid until {ca.NotAfter.ToUniversalTime():yyyy-MM-dd}, when the CA expires)", longOne.Stdout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("36501")]
    public void Days_outside_1_to_36500_are_refused(string days)
    {
        AssertRefused(MakeCa(null, "--days", days), "lighthouse certs ca: --days must be between 1 and 36500", $"not {days}");
        Assert.False(Directory.Exists(Ca));
        Assert.Equal(0, MakeCa().ExitCode);
        AssertRefused(Issue("--role", "worker", "--name", "w1", "--days", days), "lighthouse certs issue: --days must be between 1 and 36500");
    }

    [Fact]
    public void An_unknown_role_is_refused_naming_the_four()
    {
        Assert.Equal(0, MakeCa().ExitCode);
        AssertRefused(Issue("--role", "root", "--name", "x"), "lighthouse certs issue: --role \"root\" is not a role: use host, worker, client or admin");
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void A_client_without_a_user_is_refused()
    {
        Assert.Equal(0, MakeCa().ExitCode);
        AssertRefused(Issue("--role", "client", "--name", "ci"), "a client certificate needs at least one --user");
    }

    [Theory]
    [InlineData("worker", "a worker acts for no user")]
    [InlineData("host", "a host acts for every user")]
    [InlineData("admin", "an admin acts for every user")]
    public void A_user_is_refused_on_any_role_but_client(string role, string why)
    {
        Assert.Equal(0, MakeCa().ExitCode);
        AssertRefused(Issue("--role", role, "--name", "x", "--user", "alice"), $"--user is only for a client certificate: {why}");
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData(".hidden")]
    public void A_name_that_is_no_safe_file_name_is_refused_and_nothing_is_written(string name)
    {
        Assert.Equal(0, MakeCa().ExitCode);
        AssertRefused(Issue("--role", "worker", "--name", name), $"--name \"{name}\" cannot be a file name");
        Assert.False(Directory.Exists(Out));
        Assert.Equal(["ca"], Directory.EnumerateFileSystemEntries(_root).Select(Path.GetFileName));
    }

    [Fact]
    public void Names_and_users_follow_the_name_rules()
    {
        Assert.Equal(0, MakeCa().ExitCode);
        AssertRefused(Issue("--role", "worker", "--name", "w\u00071"), "--name \"w\\u00071\" contains the control character U+0007");
        AssertRefused(Issue("--role", "worker", "--name", new string('w', 201)), "--name", "201 characters long, over the limit of 200");
        AssertRefused(Issue("--role", "client", "--name", "ci", "--user", "alice", "--user", " "), "--user is empty");
        AssertRefused(MakeCa(null, "--name", "CA\n2", "--force"), "lighthouse certs ca: --name", "U+000A");
        Assert.Equal(0, Issue("--role", "worker", "--name", new string('w', 200)).ExitCode);
    }

    [Theory]
    [InlineData("not a host")]
    [InlineData("*.example.org")]
    public void A_san_that_is_neither_a_DNS_name_nor_an_IP_is_refused(string san)
    {
        Assert.Equal(0, MakeCa().ExitCode);
        AssertRefused(Issue("--role", "host", "--name", "h1", "--san", san), $"--san \"{san}\" is neither a DNS name nor an IP address");
    }

    [Fact]
    public void An_existing_CA_is_not_replaced_without_force()
    {
        Assert.Equal(0, MakeCa().ExitCode);
        var key = File.ReadAllText(In("ca", "ca.key"));
        File.Delete(In("ca", "ca.crt"));

        AssertRefused(MakeCa(), $"lighthouse certs ca: {In("ca", "ca.key")} already exists; --force replaces it (a new CA means issuing every certificate again)");
        Assert.Equal(key, File.ReadAllText(In("ca", "ca.key")));

        var forced = MakeCa(null, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.NotEqual(key, File.ReadAllText(In("ca", "ca.key")));
    }

    [Fact]
    public void An_existing_certificate_is_not_replaced_without_force()
    {
        Assert.Equal(0, MakeCa().ExitCode);
        Assert.Equal(0, Issue("--role", "worker", "--name", "w1").ExitCode);
        var key = File.ReadAllText(In("certs", "w1.key"));

        AssertRefused(Issue("--role", "worker", "--name", "w1"), $"{In("certs", "w1.key")} already exists; --force replaces it");
        Assert.Equal(key, File.ReadAllText(In("certs", "w1.key")));
        Assert.Equal(0, Issue("--role", "worker", "--name", "w1", "--force").ExitCode);
        Assert.NotEqual(key, File.ReadAllText(In("certs", "w1.key")));
    }

    [Fact]
    public void Not_even_force_issues_over_the_CAs_own_files()
    {
        Assert.Equal(0, MakeCa().ExitCode);
        var key = File.ReadAllText(In("ca", "ca.key"));

        var run = CommandLineRun.Of("certs", "issue", "--ca", Ca, "--out", Ca, "--role", "worker", "--name", "ca", "--force");

        AssertRefused(run, $"{In("ca", "ca.key")} is the CA's own file");
        Assert.Equal(key, File.ReadAllText(In("ca", "ca.key")));
    }

    [Fact]
    public void A_key_is_never_written_through_a_symbolic_link_even_with_force()
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(0, MakeCa().ExitCode);
        Directory.CreateDirectory(Out);
        var elsewhere = In("elsewhere.key");
        File.CreateSymbolicLink(In("certs", "w1.key"), elsewhere);

        AssertRefused(Issue("--role", "worker", "--name", "w1", "--force"), $"{In("certs", "w1.key")} is a symbolic link");
        Assert.False(File.Exists(elsewhere));
        Assert.False(File.Exists(In("certs", "w1.crt")));
    }

    [Fact]
    public void A_missing_CA_directory_or_file_is_named()
    {
        AssertRefused(Issue("--role", "worker", "--name", "w1"), $"--ca {Ca}: no such directory", "lighthouse certs ca --out");
        Assert.Equal(0, MakeCa().ExitCode);
        File.Delete(In("ca", "ca.key"));
        AssertRefused(Issue("--role", "worker", "--name", "w1"), $"{In("ca", "ca.key")} does not exist (the CA's private key");
        File.Delete(In("ca", "ca.crt"));
        AssertRefused(Issue("--role", "worker", "--name", "w1"), $"{In("ca", "ca.crt")} does not exist (the CA certificate)");
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void A_CA_key_that_is_not_the_CA_certificates_own_is_refused()
    {
        Assert.Equal(0, MakeCa().ExitCode);
        Assert.Equal(0, MakeCa(In("other")).ExitCode);
        File.Copy(In("other", "ca.key"), In("ca", "ca.key"), overwrite: true);

        AssertRefused(Issue("--role", "worker", "--name", "w1"), $"{In("ca", "ca.key")} cannot be read as the private key of {In("ca", "ca.crt")}");
    }

    [Fact]
    public void A_certificate_that_is_no_CA_is_refused_as_one()
    {
        Assert.Equal(0, MakeCa().ExitCode);
        Assert.Equal(0, Issue("--role", "host", "--name", "h1").ExitCode);
        File.Copy(In("certs", "h1.crt"), In("ca", "ca.crt"), overwrite: true);
        File.Copy(In("certs", "h1.key"), In("ca", "ca.key"), overwrite: true);

        AssertRefused(Issue("--role", "admin", "--name", "ops"), $"{In("ca", "ca.crt")} is not a certificate authority (it is \"CN=h1, OU=host, O=Lighthouse\")");
    }

    [Fact]
    public void A_certificate_from_one_CA_is_refused_by_credentials_with_another()
    {
        Assert.Equal(0, MakeCa().ExitCode);
        Assert.Equal(0, MakeCa(In("other")).ExitCode);
        Assert.Equal(0, Issue("--role", "worker", "--name", "w1").ExitCode);

        var refused = Assert.Throws<TlsConfigurationException>(() => TlsCredentials.Load(In("certs", "w1.crt"), In("certs", "w1.key"), In("other", "ca.crt")));
        Assert.Contains($"TLS certificate {In("certs", "w1.crt")} does not fit CA {In("other", "ca.crt")}", refused.Message);
    }

    [Fact]
    public void Show_prints_subject_identity_names_validity_and_issuer()
    {
        Assert.Equal(0, MakeCa(null, "--name", "Acme CA").ExitCode);
        Assert.Equal(0, Issue("--role", "client", "--name", "ci", "--user", "alice", "--user", "bob", "--san", "10.1.2.3").ExitCode);

        var run = CommandLineRun.Of("certs", "show", In("certs", "ci.crt"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        var lines = run.Stdout.TrimEnd().Split('\n');
        Assert.Equal(["subject:", "identity:", "names:", "valid:", "issuer:", "sha256:"], lines.Select(l => l.Split(' ')[0]));
        Assert.Equal("subject:  CN=ci, OU=client, O=Lighthouse", lines[0]);
        Assert.Equal("identity: client \"ci\" for alice, bob", lines[1]);
        Assert.Equal("names:    ci, localhost, 127.0.0.1, 10.1.2.3", lines[2]);
        Assert.Matches(@"^valid:    \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ to \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", lines[3]);
        Assert.Equal("issuer:   CN=Acme CA, O=Lighthouse", lines[4]);
        Assert.Contains("identity: none: a certificate authority", CommandLineRun.Of("certs", "show", In("ca", "ca.crt")).Stdout);
    }

    [Fact]
    public void Show_refuses_a_key_or_a_missing_file_with_one_line()
    {
        Assert.Equal(0, MakeCa().ExitCode);
        AssertRefused(CommandLineRun.Of("certs", "show", In("ca", "ca.key")), "lighthouse certs show:", "it is a private key");
        AssertRefused(CommandLineRun.Of("certs", "show", In("nothing.crt")), $"{In("nothing.crt")}: no such file");
    }

    [Fact]
    public void Help_explains_the_flow_and_the_root_lists_certs()
    {
        var help = CommandLineRun.Of("certs", "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Make a CA once, then issue one certificate per host, worker and client", help.Stdout);
        Assert.Contains("lighthouse certs ca --out ca", help.Stdout);
        Assert.Contains("never beyond the CA's own expiry", CommandLineRun.Of("certs", "issue", "--help").Stdout);
        Assert.Contains("certs ", CommandLineRun.Of("--help").Stdout);
        var usage = CommandLineRun.Of("certs", "issue", "--role", "worker", "--name", "w1", "--out", Out);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("lighthouse certs issue: Option '--ca' is required", usage.Stderr);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
