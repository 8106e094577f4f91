using System.Net.Sockets;
using Akka.Configuration;

namespace Lighthouse.Host.Serve;

/// <summary>Turns what went wrong while starting into one line for a person, and the exit code it deserves.</summary>
internal static class StartFailure
{
    /// <summary>The cluster port or the HTTP port is taken, the host name does not resolve, ...: the machine, not the input.</summary>
    public const int ExitCode = 1;

    /// <summary>Why the cluster transport could not start on <paramref name="where"/>.</summary>
    public static (string Message, int ExitCode) OfCluster(Exception e, string where)
    {
        if (Find<ConfigurationException>(e) is { } config)
            return ($"the configuration is invalid: {HostConfiguration.OneLine(config.Message)}", Cli.ExitCodes.BadInput);
        if (Find<SocketException>(e) is { } socket)
            return (socket.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"cannot listen on {where}: the port is already in use (is another lighthouse running? choose another with --port)"
                : $"cannot listen on {where}: {socket.Message}", ExitCode);
        return ($"cannot start the cluster node on {where}: {Innermost(e)}", ExitCode);
    }

    /// <summary>Why the web monitor could not start on <paramref name="url"/>.</summary>
    public static string OfHttp(Exception e, string url) =>
        Find<SocketException>(e) is { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            ? $"cannot serve the web monitor on {url}: the port is already in use (choose another with --http-port, or turn it off with lighthouse.host.http.enabled = off)"
            : $"cannot serve the web monitor on {url}: {Innermost(e)}";

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
            if (e is AggregateException { InnerExceptions.Count: > 0 } many && many.InnerExceptions.Select(Find<T>).FirstOrDefault(f => f is not null) is { } inner)
                return inner;
        }
        return null;
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return HostConfiguration.OneLine(e.Message);
    }
}
