using Lighthouse.Host.Web.Access;
using Lighthouse.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Lighthouse.Host.Web.Metrics;

/// <summary>
/// <c>GET /metrics</c>: asks the scheduler for its views, hands them to <see cref="LighthouseMetrics"/>, then lets
/// OpenTelemetry's Prometheus exporter write the text format. A scheduler that does not answer still gets a
/// scrape, with <c>lighthouse_scheduler_up 0</c> and no stale numbers. It counts every user's tasks by task name and every worker: admin tokens only.
/// </summary>
internal static class MetricsEndpoint
{
    /// <summary>Statistics with the task policies' figures, listing no waiting task (a scrape needs only the counts).</summary>
    private static readonly GetStatistics PolicyFigures = new(0);

    public static void MapMetricsEndpoint(this IEndpointRouteBuilder routes, LighthouseMetrics metrics, SchedulerGateway scheduler, ILogger logger)
    {
        routes.MapPrometheusScrapingEndpoint("/metrics", metrics.Provider, pipeline => pipeline.Use(async (context, next) =>
        {
            var cancellation = context.RequestAborted;
            try
            {
                var queues = scheduler.Ask<QueuesView>(GetQueues.Instance, cancellation);
                var statistics = scheduler.Ask<StatisticsView>(PolicyFigures, cancellation);
                var nodes = scheduler.Ask<NodesView>(GetNodes.Instance, cancellation);
                var limits = scheduler.Ask<ConcurrencyLimitsView>(GetConcurrencyLimits.Instance, cancellation);
                await Task.WhenAll(queues, statistics, nodes, limits);
                metrics.Refresh(queues.Result, statistics.Result, nodes.Result, limits.Result);
            }
            catch (ApiException e) when (e.Status == StatusCodes.Status503ServiceUnavailable)
            {
                // The scrape says only "down" (lighthouse_scheduler_up 0); why is kept for whoever turns logging up.
                logger.LogDebug(e, "GET /metrics: the scheduler did not answer");
                metrics.Refresh(null, null, null);
            }
            await next(context);
        }), optionsName: null).ForAdminsOnly();
    }
}
