using System.Text.Json;
using Lighthouse.Host.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lighthouse.Host.Web;

/// <summary>
/// One runtime setting kept by the scheduler under a name (a concurrency key's limit, a user's policy), as the admin
/// API shows it: <c>GET path</c> reads them all, <c>PUT path/NAME</c> with a JSON body changes one,
/// <c>DELETE path/NAME</c> gives it its configured value back. What differs between settings is here; the routes,
/// the admin-only rule and the body checks are <see cref="AdminSettingEndpoints.MapAdminSetting{TView}"/>'s.
/// </summary>
/// <param name="Path">The collection's path, e.g. <c>/api/limits</c>.</param>
/// <param name="Read">The request that asks the scheduler for the view of every setting.</param>
/// <param name="WriteView">Writes that view as JSON.</param>
/// <param name="ChangeOf">The change a PUT body asks for; throws <see cref="ApiException"/> (400) naming a bad field.</param>
/// <param name="ResetOf">The change a DELETE asks for.</param>
/// <param name="Answer">The HTTP answer to the scheduler's reply to a change, or null for a reply it does not expect.</param>
internal sealed record AdminSetting<TView>(
    string Path,
    object Read,
    Action<Utf8JsonWriter, TView> WriteView,
    Func<string, JsonElement, object> ChangeOf,
    Func<string, object> ResetOf,
    Func<object, JsonBody?> Answer) where TView : class;

internal static class AdminSettingEndpoints
{
    /// <summary>Maps GET, PUT and DELETE of one named setting, admin tokens only (reads too: they show every user's work).</summary>
    public static void MapAdminSetting<TView>(this IEndpointRouteBuilder routes, WebOptions options, SchedulerGateway scheduler,
        AdminSetting<TView> setting) where TView : class
    {
        routes.MapGet(setting.Path, async (CancellationToken cancellation) =>
        {
            var view = await scheduler.Ask<TView>(setting.Read, cancellation);
            return JsonBody.Ok(writer => setting.WriteView(writer, view));
        }).ForAdminsOnly();

        routes.MapPut(setting.Path + "/{name}", async (HttpContext context, string name, CancellationToken cancellation) =>
        {
            if (TaskEndpoints.NotJson(context.Request) is { } refused) return refused;
            using var body = await RequestBody.ReadJson(context.Request, options.MaxBodyBytes, cancellation);
            return await Change(scheduler, setting, setting.ChangeOf(name, body.RootElement), cancellation);
        }).ForAdminsOnly();

        routes.MapDelete(setting.Path + "/{name}", (string name, CancellationToken cancellation) =>
            Change(scheduler, setting, setting.ResetOf(name), cancellation)).ForAdminsOnly();
    }

    private static async Task<IResult> Change<TView>(SchedulerGateway scheduler, AdminSetting<TView> setting, object change,
        CancellationToken cancellation) where TView : class
    {
        var reply = await scheduler.Ask(change, cancellation);
        return setting.Answer(reply) ?? throw SchedulerGateway.Unexpected(change.GetType().Name, reply);
    }
}
