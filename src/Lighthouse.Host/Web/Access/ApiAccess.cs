using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Lighthouse.Host.Web.Access;

/// <summary>
/// Who may call what. When any token is configured, every request under <c>/api</c> and <c>/metrics</c> must carry
/// <c>Authorization: Bearer TOKEN</c> naming a configured one (else 401 with <c>WWW-Authenticate: Bearer</c>), and an
/// endpoint marked <see cref="AdminOnly"/> answers 403 to a user token. <c>/health/*</c> and the monitor's page and
/// assets stay open: probes need no secret, and the page holds no data (it asks the API, with the token).
/// The per-task rules (a user token reads, cancels and lists only its own user's tasks) are the task endpoints'.
/// </summary>
internal static class ApiAccess
{
    private static readonly object CallerKey = new();

    /// <summary>Marks an endpoint that shows every user's tasks, queues or workers: admin tokens only.</summary>
    public sealed class AdminOnly
    {
        public static AdminOnly Instance { get; } = new();

        private AdminOnly() { }
    }

    public static TBuilder ForAdminsOnly<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(AdminOnly.Instance);

    /// <summary>Who the request acts as; admin when no token is configured.</summary>
    public static ApiCaller Caller(this HttpContext context) =>
        context.Items.TryGetValue(CallerKey, out var caller) && caller is ApiCaller known ? known : ApiCaller.Administrator;

    /// <summary>Runs after routing (so the endpoint's <see cref="AdminOnly"/> mark is known) and before any endpoint.</summary>
    public static void UseApiAccess(this WebApplication app, ApiTokens tokens)
    {
        if (!tokens.Required) return;
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (!path.StartsWithSegments("/api") && !path.StartsWithSegments("/metrics"))
            {
                await next(context);
                return;
            }
            var header = context.Request.Headers.Authorization.ToString();
            const string scheme = "Bearer ";
            if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                await Unauthorized(context, header.Length == 0
                    ? "this endpoint needs \"Authorization: Bearer <token>\"; none was sent"
                    : "the Authorization header is not \"Bearer <token>\"");
                return;
            }
            if (tokens.Find(header[scheme.Length..].Trim()) is not { } caller)
            {
                await Unauthorized(context, "the bearer token is wrong");
                return;
            }
            if (!caller.Admin && context.GetEndpoint()?.Metadata.GetMetadata<AdminOnly>() is not null)
            {
                await JsonBody.Error(StatusCodes.Status403Forbidden,
                    $"permission denied: {context.Request.Method} {path} {(HttpMethods.IsGet(context.Request.Method) ? "shows every user's tasks and workers" : "changes what applies to every user")}; it needs an admin token, and this one is for {caller}")
                    .ExecuteAsync(context);
                return;
            }
            context.Items[CallerKey] = caller;
            await next(context);
        });
    }

    /// <summary>403 for a caller acting for another user than its token's.</summary>
    public static ApiException CannotActFor(ApiCaller caller, string user) =>
        new(StatusCodes.Status403Forbidden, $"token for {caller.User} cannot act for {user}");

    /// <summary>403 for another user's task; whose it is stays unsaid.</summary>
    public static ApiException NotYours(string taskId) =>
        new(StatusCodes.Status403Forbidden, $"permission denied: task {taskId} belongs to another user");

    private static Task Unauthorized(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return JsonBody.Error(StatusCodes.Status401Unauthorized, message).ExecuteAsync(context);
    }
}
