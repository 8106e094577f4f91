using Microsoft.AspNetCore.Builder;

namespace Lighthouse.Host.Web;

/// <summary>
/// Headers every answer carries, error pages included (set as the response starts, after any handler cleared it): no
/// content-type sniffing, and a content security policy that lets the monitor load only what the host serves, run no
/// inline script and be framed by no page (clickjacking).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The monitor's own script and style only; inline style attributes for its bars and charts.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void UseSecurityHeaders(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                response.Headers.XContentTypeOptions = "nosniff";
                response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                response.Headers.XFrameOptions = "DENY";
                response.Headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            await next(context);
        });
}
