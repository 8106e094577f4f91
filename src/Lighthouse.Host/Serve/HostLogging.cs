using Microsoft.Extensions.Logging;

namespace Lighthouse.Host.Serve;

/// <summary>
/// The host's own logging (the generic host's and the web server's): Microsoft.Extensions.Logging to standard output,
/// one line per entry, warnings and above. Akka's log keeps its own logger and format (<c>akka.loglevel</c>), which
/// operators and the tests read line by line: routed through Microsoft.Extensions.Logging each line would carry two prefixes.
/// </summary>
internal static class HostLogging
{
    public static void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
    }
}
