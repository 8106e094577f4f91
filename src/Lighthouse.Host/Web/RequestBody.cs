using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Lighthouse.Host.Web;

/// <summary>Reads a JSON request body within the size limit, turning each way it can go wrong into a clear 400 or 413.</summary>
internal static class RequestBody
{
    /// <summary>
    /// Kestrel's hard cap for a limit: up to twice the limit is read (and the excess thrown away) so that the client,
    /// still sending, gets its 413 answer; closing on a client mid-send resets the connection and loses the answer.
    /// Anything larger is cut by Kestrel outright.
    /// </summary>
    public static long HardCap(long maxBytes) => maxBytes > long.MaxValue / 2 ? long.MaxValue : maxBytes * 2;

    public static async Task<JsonDocument> ReadJson(HttpRequest request, long maxBytes, CancellationToken cancellation)
    {
        if (request.ContentLength > HardCap(maxBytes)) throw TooLarge(maxBytes, request.ContentLength);
        var body = await ReadAll(request, maxBytes, cancellation);
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {e.Message}", e);
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAll(HttpRequest request, long maxBytes, CancellationToken cancellation)
    {
        using var kept = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        long total = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0)
            {
                total += read;
                if (total <= maxBytes) kept.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes, request.ContentLength, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        if (total > maxBytes) throw TooLarge(maxBytes, request.ContentLength);
        return kept.ToArray();
    }

    private static ApiException TooLarge(long maxBytes, long? length, Exception? cause = null) => new(
        StatusCodes.Status413PayloadTooLarge,
        length is { } size
            ? $"the request body is {size} bytes, over the limit of {maxBytes} bytes"
            : $"the request body is over the limit of {maxBytes} bytes",
        cause);
}
