using System.Net;
using System.Net.Sockets;

namespace Lighthouse.IntegrationTests.Fixtures;

/// <summary>TCP ports on loopback for processes under test.</summary>
public static class FreePort
{
    /// <summary>
    /// A port on 127.0.0.1 that was free a moment ago: the system picks it, and it hands out ephemeral ports in turn, so
    /// another process taking it before ours binds it is unlikely (a clash shows as a clear "port in use" failure).
    /// </summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
