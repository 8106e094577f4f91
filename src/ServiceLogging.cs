using Microsoft.Extensions.Logging;

namespace Lighthouse;

/// <summary>
/// The logging of the two long-running programs' generic hosts (lighthouse serve, lighthouse-worker): Microsoft.Extensions.Logging
/// to standard output, one line per entry, warnings and above. Akka's log keeps its own logger and format
/// (<c>akka.loglevel</c>), which operators and the tests read line by line: routed through Microsoft.Extensions.Logging
/// each of its lines would carry two prefixes. Compiled into both programs by src/Service.props.
/// </summary>
internal static class ServiceLogging
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
