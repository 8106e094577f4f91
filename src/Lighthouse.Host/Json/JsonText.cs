using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lighthouse.Host.Json;

/// <summary>
/// How Lighthouse's JSON is laid out: the command line's documents indented, the HTTP API's bodies compact. Both
/// keep non-ASCII text and quotes readable (<c>\"</c>, not <c>\u0022</c>): the JSON goes to terminals, files and
/// <c>application/json</c> bodies, never into HTML.
/// </summary>
public static class JsonText
{
    public static JsonWriterOptions Indented { get; } = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonWriterOptions Compact { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The indented document <paramref name="write"/> writes, as text.</summary>
    public static string Document(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented)) write(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
