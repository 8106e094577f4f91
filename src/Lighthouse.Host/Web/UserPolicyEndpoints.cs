using System.Text.Json;
using Lighthouse.Host.Json;
using Lighthouse.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lighthouse.Host.Web;

/// <summary>
/// The per-user weights and quotas (docs/task-policies.md, "Per user"), admin tokens only:
/// <list type="bullet">
/// <item><c>GET /api/users</c>: the defaults and every user with a policy of its own.</item>
/// <item><c>PUT /api/users/NAME</c> <c>{"weight": 3, "max_running": 4}</c>: a field left out stays as it is; <c>null</c> goes back to the
/// configured value; <c>"max_running": "off"</c> is no quota. Answers the user's policy; 400 naming the field for a bad value.</item>
/// <item><c>DELETE /api/users/NAME</c>: both fields back to the configured values.</item>
/// </list>
/// </summary>
internal static class UserPolicyEndpoints
{
    public static void MapUserPolicyEndpoints(this IEndpointRouteBuilder routes, WebOptions options, SchedulerGateway scheduler) =>
        routes.MapAdminSetting(options, scheduler, new AdminSetting<UserPoliciesView>(
            "/api/users",
            GetUserPolicies.Instance,
            UserPoliciesJson.Write,
            ChangeOf,
            name => new SetUserPolicy(name, ResetWeight: true, ResetMaxRunning: true),
            reply => reply switch
            {
                UserPolicySet set => JsonBody.Ok(writer => UserPoliciesJson.WriteUser(writer, set.User)),
                UserPolicyRejected rejected => JsonBody.Error(StatusCodes.Status400BadRequest, rejected.Reason),
                _ => null,
            }));

    /// <summary>The change a PUT body asks for; a body that is not an object, an unknown field or a value of the wrong kind is a 400 naming it.</summary>
    internal static SetUserPolicy ChangeOf(string name, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest("the body must be a JSON object such as {\"weight\": 3, \"max_running\": 4}");
        decimal? weight = null;
        int? maxRunning = null;
        bool resetWeight = false, resetMaxRunning = false, any = false;
        foreach (var field in body.EnumerateObject())
        {
            any = true;
            switch (field.Name)
            {
                case "weight" when field.Value.ValueKind == JsonValueKind.Null:
                    resetWeight = true;
                    break;
                case "weight":
                    weight = field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetDecimal(out var w)
                        ? w
                        : throw ApiException.BadRequest($"weight must be a number from 0.01 to 1000 (or null for the configured one), not {field.Value.GetRawText()}");
                    break;
                case "max_running" when field.Value.ValueKind == JsonValueKind.Null:
                    resetMaxRunning = true;
                    break;
                case "max_running" when field.Value.ValueKind == JsonValueKind.String && field.Value.GetString() == "off":
                    maxRunning = SetUserPolicy.NoQuota;
                    break;
                case "max_running":
                    maxRunning = field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetInt32(out var q) && q >= 1
                        ? q
                        : throw ApiException.BadRequest(
                            $"max_running must be a whole number of running tasks of at least 1, \"off\" for no quota or null for the configured one, not {field.Value.GetRawText()}");
                    break;
                default:
                    throw ApiException.BadRequest($"unknown field \"{field.Name}\": a user's policy has weight and max_running");
            }
        }
        if (!any) throw ApiException.BadRequest("the body names no field: give weight and/or max_running");
        return new SetUserPolicy(name, weight, maxRunning, resetWeight, resetMaxRunning);
    }
}
