using System.Text.Json;

namespace Lighthouse.Host.Json;

/// <summary>A JSON value as it appears in the input, short enough for an error message that names it.</summary>
public static class JsonExcerpt
{
    public static string Of(JsonElement value)
    {
        var raw = value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => value.GetRawText(),
        };
        return raw.Length <= 40 ? raw : raw[..37] + "...";
    }
}
