using System.Text.Json;
using Lighthouse.Host.Json;
using Microsoft.AspNetCore.Http;

namespace Lighthouse.Host.Web;

/// <summary>
/// An HTTP answer whose JSON is written by hand with <see cref="Utf8JsonWriter"/>: the writers control every key
/// and number format (quantities, raw result JSON), which a serializer's conventions would not.
/// </summary>
public sealed class JsonBody(int status, Action<Utf8JsonWriter> write, string? location = null) : IResult
{
    public int Status { get; } = status;

    public static JsonBody Ok(Action<Utf8JsonWriter> write) => new(StatusCodes.Status200OK, write);

    /// <summary><c>{"error": message}</c> with the given status.</summary>
    public static JsonBody Error(int status, string message) => new(status, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("error", message);
        writer.WriteEndObject();
    });

    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = Status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (location is not null) response.Headers.Location = location;
        // A full queue (429) or an unready scheduler (503) may pass later: say when to try again.
        if (Status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable) response.Headers.RetryAfter = "1";
        await using var writer = new Utf8JsonWriter(response.BodyWriter, JsonText.Compact);
        write(writer);
        await writer.FlushAsync(context.RequestAborted);
    }
}
