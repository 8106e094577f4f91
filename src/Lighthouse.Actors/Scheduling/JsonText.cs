using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lighthouse.Scheduling;

/// <summary>The scheduler's only look inside payloads and results: are they JSON, and small enough.</summary>
internal static class JsonText
{
    private static readonly JsonDocumentOptions Strict = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Null when <paramref name="text"/> is JSON of at most <paramref name="maxBytes"/> UTF-8 bytes; else why not, naming <paramref name="what"/>.</summary>
    public static string? Problem(string? text, string what, int maxBytes)
    {
        if (text is null) return $"{what} is missing";
        // Counting is cheaper than parsing, and a UTF-8 string takes at most 3 bytes per UTF-16 char.
        if ((long)text.Length * 3 > maxBytes)
        {
            var bytes = Encoding.UTF8.GetByteCount(text);
            if (bytes > maxBytes)
                return $"{what} is {Bytes(bytes)}, over the cap of {Bytes(maxBytes)} (lighthouse.scheduler.max-payload-bytes)";
        }
        try
        {
            using var document = JsonDocument.Parse(text, Strict);
            return null;
        }
        catch (JsonException e)
        {
            return $"{what} is not valid JSON: {e.Message}";
        }
    }

    private static string Bytes(long count) => count.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}
