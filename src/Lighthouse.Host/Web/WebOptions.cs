using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Lighthouse.Host.Web.Access;
using Lighthouse.Scheduling;

namespace Lighthouse.Host.Web;

/// <summary>
/// How the web monitor and HTTP API listen and guard themselves.
/// </summary>
/// <param name="Address">The IP address or host name to listen on; loopback by default, so nothing is exposed by accident.</param>
/// <param name="Port">The TCP port; 0 picks a free one (tests).</param>
/// <param name="BearerToken">An admin token (<c>lighthouse.host.http.bearer-token</c>), as one of <paramref name="Tokens"/>.</param>
/// <param name="MaxBodyBytes">Request bodies over this size are refused with 413.</param>
/// <param name="AskTimeout">How long an API request waits for the scheduler before answering 503.</param>
/// <param name="ReadinessTimeout">How long <c>/health/ready</c> waits for the scheduler; short, because probes are frequent.</param>
/// <param name="QueueCapPerUser">
/// The scheduler's <c>lighthouse.scheduler.queue-cap-per-user</c>, checked for sanity only: the API no longer needs it,
/// since a refusal carries its <see cref="Lighthouse.Protocol.RejectionCode"/>. Kept until the host settings stop setting it.
/// </param>
/// <param name="Tokens">
/// The API's tokens (<c>lighthouse.host.http.tokens</c>). With any token (or <paramref name="BearerToken"/>) set, every
/// <c>/api</c> request and <c>/metrics</c> need one (<see cref="ApiAccess"/>); without, the API is open, which only a
/// loopback address allows.
/// </param>
/// <param name="Certificate">When set (with its private key), the port serves HTTPS with it instead of HTTP.</param>
public sealed record WebOptions(
    string Address = WebOptions.DefaultAddress,
    int Port = LighthouseNames.DefaultHttpPort,
    string? BearerToken = null,
    long MaxBodyBytes = WebOptions.DefaultMaxBodyBytes,
    TimeSpan? AskTimeout = null,
    TimeSpan? ReadinessTimeout = null,
    int? QueueCapPerUser = null,
    IReadOnlyList<ApiToken>? Tokens = null,
    X509Certificate2? Certificate = null)
{
    public const string DefaultAddress = "127.0.0.1";
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    public static WebOptions Default { get; } = new();

    public TimeSpan EffectiveAskTimeout => AskTimeout ?? TimeSpan.FromSeconds(5);

    public TimeSpan EffectiveReadinessTimeout => ReadinessTimeout ?? TimeSpan.FromSeconds(1);

    public int EffectiveQueueCapPerUser => QueueCapPerUser ?? SchedulerSettings.Default.QueueCapPerUser;

    /// <summary>True when some token is configured, so the API answers only requests that carry one.</summary>
    public bool HasTokens => BearerToken is not null || Tokens is { Count: > 0 };

    /// <summary>The URL Kestrel binds, e.g. <c>http://127.0.0.1:9000</c> (<c>https</c> with a <see cref="Certificate"/>).</summary>
    public string Url => $"{(Certificate is null ? "http" : "https")}://{(IPAddress.TryParse(Address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : Address)}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>True for 127.0.0.0/8, ::1 and <c>localhost</c>: only this machine can connect.</summary>
    public bool IsLoopback =>
        string.Equals(Address, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Address, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Throws <see cref="WebConfigurationException"/> naming the option and value that cannot work.</summary>
    public WebOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(Address))
            throw new WebConfigurationException("the HTTP address is empty; use an IP address such as 127.0.0.1");
        if (Port is < 0 or > 65535)
            throw new WebConfigurationException($"the HTTP port {Port} is invalid: it must be between 0 and 65535");
        if (BearerToken is { } token && (token.Length == 0 || token.Any(char.IsWhiteSpace)))
            throw new WebConfigurationException("the HTTP bearer token is empty or contains white space");
        CheckTokens();
        if (Certificate is { HasPrivateKey: false })
            throw new WebConfigurationException($"the HTTPS certificate \"{Certificate.Subject}\" has no private key");
        if (!IsLoopback && !HasTokens)
            throw new WebConfigurationException(
                $"refusing to serve the HTTP API on {Url} without a bearer token: {Address} is not a loopback address, so anyone " +
                "who can reach it could read, submit and cancel every user's tasks. Set lighthouse.host.http.tokens (or bearer-token), or listen on 127.0.0.1.");
        if (MaxBodyBytes < 1)
            throw new WebConfigurationException($"the HTTP maximum body size {MaxBodyBytes} is invalid: it must be at least 1 byte");
        if (EffectiveAskTimeout <= TimeSpan.Zero)
            throw new WebConfigurationException($"the HTTP ask timeout {EffectiveAskTimeout} is invalid: it must be positive");
        if (EffectiveReadinessTimeout <= TimeSpan.Zero)
            throw new WebConfigurationException($"the HTTP readiness timeout {EffectiveReadinessTimeout} is invalid: it must be positive");
        if (EffectiveQueueCapPerUser < 1)
            throw new WebConfigurationException($"the queue cap per user {EffectiveQueueCapPerUser} is invalid: it must be at least 1");
        return this;
    }

    private void CheckTokens()
    {
        var secrets = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < (Tokens?.Count ?? 0); i++)
        {
            var token = Tokens![i] ?? throw new WebConfigurationException($"lighthouse.host.http.tokens[{i}] is null");
            if (token.Problem() is { } problem)
                throw new WebConfigurationException($"lighthouse.host.http.tokens[{i}]: {problem}");
            // Two entries with one secret would make a request's identity depend on the order: refused.
            var secret = Convert.ToHexString(token.Digest());
            if (BearerToken is { } bearer && secret == Convert.ToHexString(ApiToken.ForAdmin(bearer).Digest()))
                throw new WebConfigurationException($"lighthouse.host.http.tokens[{i}] has the same secret as lighthouse.host.http.bearer-token; give each token its own");
            if (!secrets.TryAdd(secret, i))
                throw new WebConfigurationException($"lighthouse.host.http.tokens[{i}] has the same secret as tokens[{secrets[secret]}]; give each token its own");
        }
    }
}

/// <summary>Web options that cannot work; the message names the option and its value.</summary>
public sealed class WebConfigurationException(string message) : Exception(message);
