using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Lighthouse.Host.Web;

/// <summary>
/// Guards the mutating endpoints (submit, cancel): when a token is configured, the request must carry
/// <c>Authorization: Bearer TOKEN</c>, else 401. Read-only endpoints and the monitor page stay open.
/// </summary>
internal sealed class BearerToken(string? token) : IEndpointFilter
{
    private readonly byte[]? _expected = token is null ? null : Encoding.UTF8.GetBytes(token);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_expected is null) return await next(context);
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return Refuse(context.HttpContext, header.Length == 0
                ? "this endpoint needs \"Authorization: Bearer <token>\"; none was sent"
                : "the Authorization header is not \"Bearer <token>\"");
        // Constant time, so the answer's timing tells nothing about how much of a guess was right.
        var offered = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(offered, _expected))
            return Refuse(context.HttpContext, "the bearer token is wrong");
        return await next(context);
    }

    private static JsonBody Refuse(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return JsonBody.Error(StatusCodes.Status401Unauthorized, message);
    }
}
