using System.Text.Json;
using Lighthouse.Host.Json;
using Lighthouse.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lighthouse.Host.Web;

/// <summary>
/// <c>/api/limits</c>: every concurrency key's limit and use (GET), and an admin's runtime limit of one key
/// (<c>PUT /api/limits/KEY {"limit": N}</c>; <c>{"limit": null}</c> or <c>DELETE</c> removes it, giving the key its
/// configured limit back). Admin tokens only, reads included: the keys and counts show every user's work.
/// </summary>
internal static class LimitEndpoints
{
    public static void MapLimitEndpoints(this IEndpointRouteBuilder routes, WebOptions options, SchedulerGateway scheduler) =>
        routes.MapAdminSetting(options, scheduler, new AdminSetting<ConcurrencyLimitsView>(
            "/api/limits",
            GetConcurrencyLimits.Instance,
            LimitsJson.Write,
            (key, body) => new SetConcurrencyLimit(key, LimitOf(body)),
            key => new SetConcurrencyLimit(key, null),
            reply => reply switch
            {
                ConcurrencyLimitSet set => JsonBody.Ok(writer => LimitsJson.WriteKey(writer, set.Key)),
                ConcurrencyLimitRejected rejected => JsonBody.Error(StatusCodes.Status400BadRequest, rejected.Reason),
                _ => null,
            }));

    /// <summary><c>{"limit": N}</c> with N a whole number of 0 or more, or <c>{"limit": null}</c>; anything else is a 400 naming the field.</summary>
    internal static int? LimitOf(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest($"the request body must be a JSON object {{\"limit\": N}}, found {JsonExcerpt.Of(body)}");
        JsonElement? limit = null;
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name != "limit") throw ApiException.BadRequest($"unknown field \"{property.Name}\"; the only field is \"limit\"");
            if (limit is not null) throw ApiException.BadRequest("field \"limit\" appears twice");
            limit = property.Value;
        }
        if (limit is not { } value) throw ApiException.BadRequest("missing field \"limit\": a whole number of 0 or more, or null to remove the runtime limit");
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < 0)
            throw ApiException.BadRequest($"field \"limit\" must be a whole number of 0 or more (or null), not {JsonExcerpt.Of(value)}");
        return number;
    }
}
