using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Lighthouse.Host.Web.Json;

/// <summary>
/// An HTTP answer whose JSON is written by hand with <see cref="Utf8JsonWriter"/>: the writers control every key
/// and number format (quantities, raw result JSON), which a serializer's conventions would not.
/// </summary>
public sealed class JsonBody(int status, Action<Utf8JsonWriter> write, string? location = null) : IResult
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
        // Relaxed escaping: the body is served as application/json, never inlined into HTML, so quotes in
        // messages read as \" rather than \u0022 for people and scripts that print them.
        await using var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions);
        write(writer);
        await writer.FlushAsync(context.RequestAborted);
    }
}
