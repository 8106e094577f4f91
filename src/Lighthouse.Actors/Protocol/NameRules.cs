using System.Globalization;

namespace Lighthouse.Protocol;

/// <summary>
/// What every name in the protocol must be (task names, user ids, node names, resource keys): one rule, checked by
/// the scheduler on what arrives and by workers and clients before they send, so both sides refuse in the same words.
/// </summary>
public static class NameRules
{
    /// <summary>Null when <paramref name="name"/> is a usable name; else why not, calling it <paramref name="what"/>.</summary>
    public static string? Problem(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name)) return $"{what} is empty";
        foreach (var c in name)
        {
            if (char.IsControl(c))
                return $"{what} \"{name}\" contains the control character U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}";
        }
        return null;
    }
}
