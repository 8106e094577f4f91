using System.CommandLine;
using Lighthouse.Client;

namespace Lighthouse.Host.Cli;

/// <summary>One run of a client command: its name, what was parsed, the connected client, the settings and Ctrl-C's token.</summary>
public sealed record ClientCall(string Command, ParseResult Parsed, LighthouseClient Lighthouse, ClientSettings Settings, CancellationToken Cancellation)
{
    public TextWriter Output => Parsed.InvocationConfiguration.Output;

    public TextWriter Error => Parsed.InvocationConfiguration.Error;

    /// <summary>Prints <paramref name="json"/>'s document and a newline under <c>--json</c>, else <paramref name="text"/>'s text as it is.</summary>
    public void Print(Func<string> json, Func<string> text) => Output.Write(Settings.Json ? json() + Environment.NewLine : text());
}
