using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Lighthouse.Host.Web;

/// <summary>Reads a JSON request body within the size limit, turning each way it can go wrong into a clear 400 or 413.</summary>
internal static class RequestBody
{
    public static async Task<JsonDocument> ReadJson(HttpRequest request, long maxBytes, CancellationToken cancellation)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes, request.ContentLength);
        try
        {
            return await JsonDocument.ParseAsync(request.Body, default, cancellation);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A body without Content-Length (chunked) is cut by Kestrel as it passes the limit.
            throw TooLarge(maxBytes, null);
        }
    }

    private static ApiException TooLarge(long maxBytes, long? length) => new(
        StatusCodes.Status413PayloadTooLarge,
        length is { } size
            ? $"the request body is {size} bytes, over the limit of {maxBytes} bytes"
            : $"the request body is over the limit of {maxBytes} bytes");
}
