using System.Collections;
using System.Reflection;

namespace Lighthouse.Actors.Tests.Serialization;

/// <summary>
/// Structural equality for messages that crossed the wire. Records compare their collections by
/// reference, so a decoded message is never <c>Equals</c> to the original; this compares contents
/// instead, doubles by their bits (so -0, NaN payloads and denormals count) and dates by clock and
/// offset (DateTimeOffset equality ignores the offset), and names the first difference.
/// </summary>
internal static class WireEquality
{
    public static void AssertSame(object? expected, object? actual)
    {
        var difference = FirstDifference(expected, actual, expected?.GetType().Name ?? "message");
        if (difference is not null) Assert.Fail(difference);
    }

    public static string? FirstDifference(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
            return expected is null && actual is null ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
        switch (expected)
        {
            case double e when actual is double a:
                return BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(a) ? null : $"{path}: expected {e:R}, got {a:R} (bits differ)";
            case DateTimeOffset e when actual is DateTimeOffset a:
                return e.Ticks == a.Ticks && e.Offset == a.Offset ? null : $"{path}: expected {e:O}, got {a:O}";
            case string or bool or int or long or TimeSpan or Enum:
                return expected.Equals(actual) ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
            case IDictionary e when actual is IDictionary a:
                return DictionaryDifference(e, a, path);
            case IEnumerable e when actual is IEnumerable a && IsSet(expected.GetType()):
                return SetDifference(e.Cast<object?>().ToList(), a.Cast<object?>().ToList(), path);
            case IEnumerable e when actual is IEnumerable a:
                return SequenceDifference(e.Cast<object?>().ToList(), a.Cast<object?>().ToList(), path);
        }
        if (expected.GetType() != actual.GetType())
            return $"{path}: expected a {expected.GetType().Name}, got a {actual.GetType().Name}";
        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            var difference = FirstDifference(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
            if (difference is not null) return difference;
        }
        return null;
    }

    private static string? DictionaryDifference(IDictionary expected, IDictionary actual, string path)
    {
        if (expected.Count != actual.Count) return $"{path}: expected {expected.Count} entries, got {actual.Count}";
        foreach (DictionaryEntry entry in expected)
        {
            if (!actual.Contains(entry.Key)) return $"{path}: key {Show(entry.Key)} missing";
            var difference = FirstDifference(entry.Value, actual[entry.Key], $"{path}[{entry.Key}]");
            if (difference is not null) return difference;
        }
        return null;
    }

    private static string? SetDifference(List<object?> expected, List<object?> actual, string path)
    {
        if (expected.Count != actual.Count) return $"{path}: expected {expected.Count} elements, got {actual.Count}";
        foreach (var element in expected)
        {
            if (!actual.Any(a => FirstDifference(element, a, path) is null)) return $"{path}: element {Show(element)} missing";
        }
        return null;
    }

    private static string? SequenceDifference(List<object?> expected, List<object?> actual, string path)
    {
        if (expected.Count != actual.Count) return $"{path}: expected {expected.Count} elements, got {actual.Count}";
        for (var i = 0; i < expected.Count; i++)
        {
            var difference = FirstDifference(expected[i], actual[i], $"{path}[{i}]");
            if (difference is not null) return difference;
        }
        return null;
    }

    private static bool IsSet(Type type) => type.GetInterfaces().Any(i =>
        i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IReadOnlySet<>) || i.GetGenericTypeDefinition() == typeof(ISet<>)));

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => s.Length > 60 ? $"\"{s[..60]}…\" ({s.Length} chars)" : $"\"{s}\"",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
