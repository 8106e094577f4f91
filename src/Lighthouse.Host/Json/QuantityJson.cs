using System.Text.Json;

namespace Lighthouse.Host.Json;

/// <summary>
/// Quantities in JSON. A quantity is a JSON number or one of the strings <c>"Infinity"</c> / <c>"-Infinity"</c>
/// (JSON has no literal for them, and wards are <c>-Infinity</c>). NaN has no spelling on purpose: the engine refuses it.
/// Finite quantities are written as JSON numbers with round-trip precision (<c>3</c>, <c>0.30000000000000004</c>),
/// so reading back what was written gives the same double bit for bit.
/// </summary>
public static class QuantityJson
{
    public const string PositiveInfinity = "Infinity";
    public const string NegativeInfinity = "-Infinity";

    private const string Expected = $"expected a number, \"{PositiveInfinity}\" or \"{NegativeInfinity}\"";

    /// <summary>
    /// Reads a quantity. <paramref name="location"/> names the item (e.g. <c>node "n1" (nodes[0])</c>) and
    /// <paramref name="key"/> the quantity within it (e.g. <c>resource "cpu"</c>); both appear in the error.
    /// </summary>
    public static double Read(JsonElement value, string location, string key)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                var number = value.GetDouble();
                // System.Text.Json turns 1e400 into Infinity; an overflow is a typo far more often than a wish.
                if (double.IsInfinity(number))
                    throw new JsonModelException(location,
                        $"{key} is {value.GetRawText()}, beyond the range of a double; write \"{(number > 0 ? PositiveInfinity : NegativeInfinity)}\" for an unbounded quantity");
                return number;
            case JsonValueKind.String when value.ValueEquals(PositiveInfinity):
                return double.PositiveInfinity;
            case JsonValueKind.String when value.ValueEquals(NegativeInfinity):
                return double.NegativeInfinity;
            default:
                throw new JsonModelException(location, $"{key} is {JsonExcerpt.Of(value)}, not a quantity; {Expected}");
        }
    }

    /// <summary>Writes a quantity; throws <see cref="ArgumentException"/> for NaN, which no quantity may be.</summary>
    public static void Write(Utf8JsonWriter writer, double quantity)
    {
        if (double.IsNaN(quantity))
            throw new ArgumentException("NaN is not a quantity", nameof(quantity));
        if (double.IsPositiveInfinity(quantity))
            writer.WriteStringValue(PositiveInfinity);
        else if (double.IsNegativeInfinity(quantity))
            writer.WriteStringValue(NegativeInfinity);
        else
            writer.WriteNumberValue(quantity);
    }
}
