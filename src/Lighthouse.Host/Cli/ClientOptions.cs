using System.CommandLine;
using System.Globalization;
using Lighthouse.Client;

namespace Lighthouse.Host.Cli;

/// <summary>What every client command was told about reaching the host and printing.</summary>
public sealed record ClientSettings(string Host, bool Json, TimeSpan Timeout)
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
    };
}

/// <summary>The options every client command shares: <c>--host</c>, <c>--json</c> and <c>--timeout</c>.</summary>
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

    public void AddTo(Command command)
    {
        command.Add(Host);
        command.Add(Json);
        command.Add(Timeout);
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

        return new ClientSettings(host, parsed.GetValue(Json), TimeSpan.FromSeconds(seconds));
    }
}
