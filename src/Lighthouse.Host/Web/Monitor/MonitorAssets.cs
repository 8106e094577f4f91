using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lighthouse.Host.Web.Monitor;

/// <summary>
/// The monitor page, its script and its style, embedded in the assembly (Web/Assets) and served by the host
/// itself: the page works without internet, and there is no build step beyond the C# one.
/// </summary>
internal static class MonitorAssets
{
    private const string Prefix = "Lighthouse.Host.Web.Assets.";

    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/monitor.js", "monitor.js", "text/javascript; charset=utf-8"),
        ("/monitor.css", "monitor.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "favicon.svg", "image/svg+xml"),
    ];

    public static void MapMonitorPage(this IEndpointRouteBuilder routes)
    {
        var page = Load("index.html");
        // The task page is the same page: its script shows the task named by the path.
        routes.MapGet("/", () => Results.Bytes(page, "text/html; charset=utf-8"));
        routes.MapGet("/tasks/{id}", (string id) => Results.Bytes(page, "text/html; charset=utf-8"));
        foreach (var (path, resource, contentType) in Files)
        {
            var bytes = Load(resource);
            routes.MapGet(path, () => Results.Bytes(bytes, contentType));
        }
    }

    private static byte[] Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + name)
            ?? throw new InvalidOperationException($"the monitor asset {name} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
