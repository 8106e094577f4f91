using System.Globalization;
using Akka.Configuration;

namespace Lighthouse;

/// <summary>
/// One section of Lighthouse's HOCON (e.g. <c>lighthouse.scheduler</c>), read with errors that name the full key
/// and the value found, so every settings class refuses bad configuration in the same words.
/// </summary>
internal readonly record struct SettingsSection(string Name, Config Config)
{
    /// <summary>A whole number of at least 1, or <paramref name="fallback"/> when the key is absent.</summary>
    public int Positive(string key, int fallback)
    {
        if (!Config.HasPath(key)) return fallback;
        var text = Config.GetString(key);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 1)
            throw Invalid(key, text, "it must be a whole number of at least 1");
        return value;
    }

    /// <summary>A positive finite duration (<c>500ms</c>, <c>10s</c>, <c>10m</c>), or <paramref name="fallback"/> when absent.</summary>
    public TimeSpan Duration(string key, TimeSpan fallback, string example)
    {
        if (!Config.HasPath(key)) return fallback;
        TimeSpan value;
        try { value = Config.GetTimeSpan(key, null, allowInfinite: false); }
        catch (Exception e) when (e is not ConfigurationException) { throw Invalid(key, Config.GetString(key), e.Message); }
        if (value <= TimeSpan.Zero)
            throw Invalid(key, Config.GetString(key), $"it must be a positive duration such as {example}");
        return value;
    }

    /// <summary>The refusal of one key's value: <c>section.key = "value" is invalid: why</c>.</summary>
    public ConfigurationException Invalid(string key, string value, string why) =>
        new($"{Name}.{key} = \"{value}\" is invalid: {why}");
}
