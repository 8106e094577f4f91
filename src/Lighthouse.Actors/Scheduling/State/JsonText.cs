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
        if (SizeProblem(text, what, maxBytes) is { } tooLarge) return tooLarge;
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

    /// <summary>Null when <paramref name="text"/> (if any) takes at most <paramref name="maxBytes"/> UTF-8 bytes; else its size against the cap.</summary>
    public static string? SizeProblem(string? text, string what, int maxBytes)
    {
        // Counting is cheaper than parsing, and a UTF-8 string takes at most 3 bytes per UTF-16 char.
        if (text is null || (long)text.Length * 3 <= maxBytes) return null;
        var bytes = Encoding.UTF8.GetByteCount(text);
        return bytes > maxBytes
            ? $"{what} is {Bytes(bytes)}, over the cap of {Bytes(maxBytes)} (lighthouse.scheduler.max-payload-bytes)"
            : null;
    }

    /// <summary>
    /// <paramref name="text"/> itself when it takes at most <paramref name="maxBytes"/> UTF-8 bytes; else its head within
    /// that many bytes (never splitting a character) and a note of what was cut.
    /// </summary>
    public static string Truncated(string text, int maxBytes)
    {
        if ((long)text.Length * 3 <= maxBytes) return text;
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes <= maxBytes) return text;
        var kept = 0;
        var used = 0;
        while (kept < text.Length)
        {
            var width = char.IsHighSurrogate(text[kept]) && kept + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(kept, width));
            if (used + size > maxBytes) break;
            used += size;
            kept += width;
        }
        return text[..kept] + $" … (truncated: the worker's error was {Bytes(bytes)}, over the {Bytes(maxBytes)} kept; lighthouse.scheduler.max-error-bytes)";
    }

    private static string Bytes(long count) => count.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}
