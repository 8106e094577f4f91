using Lighthouse.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lighthouse.Host.Web;

/// <summary>
/// <c>/health/live</c>: the process serves HTTP (always 200 while it runs). <c>/health/ready</c>: 200 only when the
/// scheduler answers a query within the readiness timeout, else 503 with the reason, so a load balancer sends
/// work only to hosts whose scheduler is reachable.
/// </summary>
internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder routes, WebOptions options, SchedulerGateway scheduler)
    {
        routes.MapGet("/health/live", () => Status(StatusCodes.Status200OK, "live", null));

        routes.MapGet("/health/ready", async (CancellationToken cancellation) =>
        {
            try
            {
                await scheduler.Ask(GetQueues.Instance, options.EffectiveReadinessTimeout, cancellation);
                return Status(StatusCodes.Status200OK, "ready", null);
            }
            catch (ApiException e) when (e.Status == StatusCodes.Status503ServiceUnavailable)
            {
                return Status(StatusCodes.Status503ServiceUnavailable, "unavailable", e.Message);
            }
        });
    }

    private static JsonBody Status(int status, string state, string? error) => new(status, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("status", state);
        if (error is not null) writer.WriteString("error", error);
        writer.WriteEndObject();
    });
}
