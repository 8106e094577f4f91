using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using Lighthouse.Host.Serve;
using Lighthouse.Host.Web;
using Lighthouse.Host.Web.Access;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// With <c>lighthouse.tls</c> set, the HTTP port serves HTTPS with the host's certificate (unless
/// <c>lighthouse.host.http.tls = off</c>): clients that trust only the cluster's CA connect, others are refused.
/// </summary>
public sealed class HttpsTests
{
    private const string Admin = "admin-secret";
    private const string Curl = "/usr/bin/curl";

    [Fact]
    public async Task With_tls_configured_the_port_serves_https_that_a_client_trusting_only_the_ca_accepts()
    {
        using var certificates = new TestCertificates();
        var options = Options(certificates, "");
        await using var web = await WebHarness.Start(options);
        var address = HttpsAddress(web);
        string? seen = null;
        using var trusting = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    seen = certificate?.Subject;
                    // Name checks stay the platform's; only the trust anchor is replaced by the test CA.
                    return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                        && certificate is System.Security.Cryptography.X509Certificates.X509Certificate2 server && certificates.Trusts(server, chain);
                },
            },
        }) { BaseAddress = address, Timeout = WebHarness.Wait };
        using var untrusting = new HttpClient { BaseAddress = address, Timeout = WebHarness.Wait };
        using var plain = new HttpClient { BaseAddress = new UriBuilder(address) { Scheme = "http" }.Uri, Timeout = WebHarness.Wait };

        using var live = await trusting.GetAsync("/health/live");
        using var queues = await trusting.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/queues") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Admin) } });

        Assert.StartsWith("https://", options.Url);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, queues.StatusCode);
        Assert.Equal("CN=host-1, OU=host, O=Lighthouse", seen);
        // The machine's own trust store does not know the cluster's CA, and the port speaks no plain HTTP.
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("/health/live"));
        await Assert.ThrowsAnyAsync<Exception>(async () => (await plain.GetAsync("/health/live")).EnsureSuccessStatusCode());
    }

    [Fact]
    public async Task Curl_with_the_ca_reaches_the_https_api_and_curl_without_it_is_refused()
    {
        Assert.True(File.Exists(Curl), $"{Curl} is missing, and this test runs the HTTPS API through it: install curl (apt-get install curl)");
        using var certificates = new TestCertificates();
        await using var web = await WebHarness.Start(Options(certificates, ""));
        var url = new Uri(HttpsAddress(web), "/api/queues").ToString();

        var (trusted, body, _) = await RunCurl("--silent", "--show-error", "--cacert", certificates.AuthorityPath, "-H", $"Authorization: Bearer {Admin}", url);
        var (untrusted, _, error) = await RunCurl("--silent", "--show-error", url);

        Assert.Equal(0, trusted);
        Assert.Contains("\"queued\":0", body);
        // 60: the peer's certificate cannot be authenticated with the known CA certificates.
        Assert.Equal(60, untrusted);
        Assert.Contains("certificate", error);
    }

    [Fact]
    public void Tls_off_keeps_plain_http_even_when_the_host_has_certificates()
    {
        using var certificates = new TestCertificates();

        var options = Options(certificates, "lighthouse.host.http.tls = off\n");

        Assert.Null(options.Certificate);
        Assert.Equal("http://127.0.0.1:9000", options.Url);
    }

    [Fact]
    public void Without_lighthouse_tls_the_port_serves_plain_http()
    {
        using var file = new TempFile("lighthouse.host.http.tls = on\n");

        var settings = HostSettings.From(HostConfiguration.Compose(new ServeArguments(ConfigFile: file.Path), new Dictionary<string, string>()), file.Path);

        Assert.Equal("http://127.0.0.1:9000", settings.Http!.Url);
    }

    [Fact]
    public void A_certificate_that_cannot_be_loaded_stops_the_start_rather_than_serving_plain_http()
    {
        using var certificates = new TestCertificates();
        File.Delete(certificates.KeyPath);
        using var file = new TempFile(certificates.TlsSection);

        var error = Assert.Throws<ServeConfigurationException>(() =>
            HostSettings.From(HostConfiguration.Compose(new ServeArguments(ConfigFile: file.Path), new Dictionary<string, string>()), file.Path));

        Assert.Contains($"TLS key file {certificates.KeyPath} does not exist", error.Message);
    }

    /// <summary>The host's options from a config file with these certificates, an admin token and <paramref name="extra"/>.</summary>
    private static WebOptions Options(TestCertificates certificates, string extra)
    {
        using var file = new TempFile(certificates.TlsSection + $"lighthouse.host.http.tokens = [{{ token = \"{Admin}\", admin = on }}]\n" + extra);
        var settings = HostSettings.From(HostConfiguration.Compose(new ServeArguments(ConfigFile: file.Path), new Dictionary<string, string>()), file.Path);
        Assert.True(settings.Http!.Tokens is [{ Admin: true }]);
        return settings.Http;
    }

    private static Uri HttpsAddress(WebHarness web)
    {
        var address = LighthouseWeb.ListeningAddress(web.App);
        Assert.Equal("https", address.Scheme);
        return address;
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunCurl(params string[] arguments)
    {
        var start = new ProcessStartInfo(Curl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--noproxy", "*", "--max-time", "10" }.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Curl}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"curl {string.Join(' ', arguments)} did not finish within 30 s");
        }
        return (process.ExitCode, await output, await errors);
    }
}
