using System.Globalization;

namespace Lighthouse.Protocol;

/// <summary>
/// What every name in the protocol must be (task names, user ids, node names, resource keys): one rule, checked by
/// the scheduler on what arrives and by workers and clients before they send, so both sides refuse in the same words.
/// </summary>
public static class NameRules
{
    /// <summary>The longest name the scheduler takes by default (<c>lighthouse.scheduler.max-name-length</c>).</summary>
    public const int DefaultMaxLength = 200;

    /// <summary>
    /// Null when <paramref name="name"/> is a usable name of at most <paramref name="maxLength"/> characters; else why
    /// not, calling it <paramref name="what"/>.
    /// </summary>
    public static string? Problem(string? name, string what, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrWhiteSpace(name)) return $"{what} is empty";
        if (name.Length > maxLength)
            return $"{what} \"{name[..Math.Min(40, maxLength)]}…\" is {name.Length.ToString(CultureInfo.InvariantCulture)} characters long, over the limit of " +
                   $"{maxLength.ToString(CultureInfo.InvariantCulture)} (lighthouse.scheduler.max-name-length)";
        foreach (var c in name)
        {
            if (char.IsControl(c))
                return $"{what} \"{name}\" contains the control character U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}";
        }
        return null;
    }

    /// <summary>
    /// Null when <paramref name="key"/> is a usable concurrency key: a name (<see cref="Problem"/>) of letters, digits and
    /// <c>. _ : -</c> only, so that it reads the same in a URL path (<c>/api/limits/KEY</c>), a shell and a HOCON key.
    /// </summary>
    public static string? ConcurrencyKeyProblem(string? key, string what, int maxLength = DefaultMaxLength)
    {
        if (Problem(key, what, maxLength) is { } problem) return problem;
        foreach (var c in key!)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or ':' or '-'))
                return $"{what} \"{key}\" contains '{c}': a concurrency key is made of letters, digits and . _ : - only";
        }
        return null;
    }
}
