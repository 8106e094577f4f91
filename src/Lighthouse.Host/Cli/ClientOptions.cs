using System.CommandLine;
using System.Globalization;
using Lighthouse.Client;
using Lighthouse.Security;

namespace Lighthouse.Host.Cli;

/// <summary>What every client command was told about reaching the host and printing.</summary>
public sealed record ClientSettings(string Host, bool Json, TimeSpan Timeout, TlsCredentials? Tls = null)
{
    /// <summary>
    /// The client's options: the timeout per answer, resends after half of it (at most 2 s) of silence, and no
    /// Akka logging, so that nothing but the command's own output reaches the terminal.
    /// </summary>
    public LighthouseClientOptions ClientOptions => new()
    {
        RequestTimeout = Timeout,
        RetryInterval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, Timeout.Ticks / 2)),
        LogLevel = "OFF",
        Tls = Tls,
        // Every command sends a request at once, which finds an unreachable host as well as a check would: one round trip fewer.
        CheckOnConnect = false,
    };
}

/// <summary>The options every client command shares: <c>--host</c>, <c>--json</c>, <c>--timeout</c> and the TLS files.</summary>
public sealed class ClientOptions
{
    public const string DefaultHost = "127.0.0.1:4053";
    public const double DefaultTimeoutSeconds = 10;

    public Option<string> Host { get; } = new("--host")
    {
        Description = "The Lighthouse host to talk to, HOST:PORT (its cluster port).",
        HelpName = "HOST:PORT",
        DefaultValueFactory = _ => DefaultHost,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print machine-readable JSON instead of text." };

    public Option<string> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for each answer from the host before giving up.",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => DefaultTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
    };

    public TlsOptions Tls { get; } = new();

    public void AddTo(Command command)
    {
        command.Add(Host);
        command.Add(Json);
        command.Add(Timeout);
        Tls.AddTo(command, withInsecure: false);
    }

    /// <summary>The settings; throws <see cref="ClientInputException"/> naming a malformed host or timeout.</summary>
    public ClientSettings Read(ParseResult parsed)
    {
        var host = parsed.GetValue(Host) ?? DefaultHost;
        try
        {
            LighthouseContacts.Parse(host);
        }
        catch (FormatException bad)
        {
            throw new ClientInputException($"--host: {bad.Message}", bad);
        }

        var timeoutText = parsed.GetValue(Timeout) ?? "";
        if (!double.TryParse(timeoutText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ||
            !double.IsFinite(seconds) || seconds <= 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            throw new ClientInputException($"--timeout \"{timeoutText}\" is invalid: it must be a positive number of seconds, e.g. 10 or 0.5");

        return new ClientSettings(host, parsed.GetValue(Json), TimeSpan.FromSeconds(seconds), ReadTls(parsed));
    }

    /// <summary>The TLS files from the flags, else from LIGHTHOUSE_TLS_*; loaded and checked now, so a bad file is exit 2 naming it.</summary>
    private TlsCredentials? ReadTls(ParseResult parsed)
    {
        static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        try
        {
            var settings = TlsSettings.Create(
                parsed.GetValue(Tls.Certificate) ?? Variable("LIGHTHOUSE_TLS_CERT"),
                parsed.GetValue(Tls.Key) ?? Variable("LIGHTHOUSE_TLS_KEY"),
                parsed.GetValue(Tls.Authority) ?? Variable("LIGHTHOUSE_TLS_CA"),
                insecure: false,
                "--tls-cert, --tls-key and --tls-ca (or LIGHTHOUSE_TLS_CERT, _KEY and _CA)");
            return settings.Load();
        }
        catch (TlsConfigurationException bad)
        {
            throw new ClientInputException(bad.Message, bad);
        }
    }
}
