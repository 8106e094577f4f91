using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lighthouse.Host.Web;

/// <summary>
/// Turns every failure into <c>{"error": "..."}</c> with its status: <see cref="ApiException"/> as it says,
/// Kestrel's refusals (e.g. 413 for a body over the limit) with their own status, anything else as 500
/// with the exception's message (and a log entry), never an HTML page or an empty body.
/// </summary>
internal static class ApiErrors
{
    public static void UseJsonErrors(this WebApplication app)
    {
        var logger = app.Logger;
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Status pages of the framework would replace our body; the handler writes it whole.
            StatusCodeSelector = _ => StatusCodes.Status500InternalServerError,
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var (status, message) = Describe(error);
                if (status >= 500 && status != StatusCodes.Status503ServiceUnavailable)
                    logger.LogError(error, "HTTP {Method} {Path} failed", context.Request.Method, context.Request.Path);
                await JsonBody.Error(status, message).ExecuteAsync(context);
            },
        });
        // Unmatched routes and methods: JSON too, with the path or method named.
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Response.HasStarted || http.Response.ContentLength > 0) return;
            var message = http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"no such endpoint: {http.Request.Method} {http.Request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}",
                var other => $"HTTP {other} for {http.Request.Method} {http.Request.Path}",
            };
            await JsonBody.Error(http.Response.StatusCode, message).ExecuteAsync(http);
        });
    }

    public static (int Status, string Message) Describe(Exception? error) => error switch
    {
        ApiException api => (api.Status, api.Message),
        BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
            (bad.StatusCode, "the request body is over the configured limit"),
        BadHttpRequestException bad => (bad.StatusCode, bad.Message),
        // The detail stays in the host's log: an exception's message may name files, addresses or internals.
        _ => (StatusCodes.Status500InternalServerError, "internal error; the host's log has the details"),
    };
}
