using System.Globalization;
using Akka.Actor;
using Lighthouse.Host.Json;
using Lighthouse.Host.Web.Access;
using Lighthouse.Host.Web.Monitor;
using Lighthouse.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Lighthouse.Host.Web;

/// <summary>
/// The read-only views: nodes, queues, statistics, history, cluster, and the monitor page's overview. Each shows every
/// user's queues, tasks or workers, so with tokens configured only an admin token sees them.
/// </summary>
internal static class ViewEndpoints
{
    public static void MapViewEndpoints(this IEndpointRouteBuilder routes, SchedulerGateway scheduler, ActorSystem system, OverviewSource overview)
    {
        routes.MapGet("/api/nodes", async (CancellationToken cancellation) =>
        {
            var view = await scheduler.Ask<NodesView>(GetNodes.Instance, cancellation);
            return JsonBody.Ok(writer => NodesJson.Write(writer, view));
        }).ForAdminsOnly();
        // ?offset=&limit= page through the users, busiest first (limit at most GetQueues.MaxLimit, 100 when absent).
        routes.MapGet("/api/queues", async (string? offset, string? limit, CancellationToken cancellation) =>
        {
            var view = await scheduler.Ask<QueuesView>(PageOf(offset, limit), cancellation);
            return JsonBody.Ok(writer => QueuesJson.Write(writer, view));
        }).ForAdminsOnly();
        routes.MapGet("/api/stats", async (CancellationToken cancellation) =>
        {
            var view = await scheduler.Ask<StatisticsView>(GetStatistics.Instance, cancellation);
            return JsonBody.Ok(writer => StatisticsJson.Write(writer, view));
        }).ForAdminsOnly();
        routes.MapGet("/api/history", async (CancellationToken cancellation) =>
        {
            var view = await scheduler.Ask<HistoryView>(GetHistory.Instance, cancellation);
            return JsonBody.Ok(writer => HistoryJson.Write(writer, view));
        }).ForAdminsOnly();
        routes.MapGet("/api/cluster", () =>
        {
            var view = ClusterView.Of(system);
            return JsonBody.Ok(writer => ClusterJson.Write(writer, view));
        }).ForAdminsOnly();
        routes.MapGet("/api/overview", async (CancellationToken cancellation) =>
        {
            var view = await overview.Get(cancellation);
            return JsonBody.Ok(writer => OverviewJson.Write(writer, view));
        }).ForAdminsOnly();
    }

    /// <summary>The page of <c>/api/queues</c>: <c>offset</c> at least 0 (0 when absent), <c>limit</c> 0 to 1000 (100 when absent).</summary>
    private static GetQueues PageOf(string? offset, string? limit)
    {
        var from = WholeNumber("offset", offset) ?? 0;
        var count = WholeNumber("limit", limit) ?? GetQueues.DefaultLimit;
        if (GetQueues.Problem(from, count) is { } problem) throw ApiException.BadRequest(problem);
        return new GetQueues(from, count);
    }

    private static int? WholeNumber(string name, string? text)
    {
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        throw ApiException.BadRequest($"{name} must be a whole number, found \"{text}\"");
    }
}
