using System.Globalization;

namespace Lighthouse.Host.Serve;

/// <summary>
/// Checks of the host's values wherever they come from (flag, environment variable, config file), so each source
/// refuses the same things with the same words; <c>source</c> names where the value came from.
/// </summary>
internal static class HostValues
{
    public static int Port(string text, string source)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw new ServeConfigurationException($"{source} = \"{text}\": not a port number (0 to 65535; 0 takes any free port)");
        return port;
    }

    public static string Hostname(string text, string source)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Any(char.IsWhiteSpace))
            throw new ServeConfigurationException($"{source} = \"{text}\": not a host name or IP address");
        return trimmed;
    }

    /// <summary>A seed as <c>HOST:PORT</c> (IPv6 in brackets), returned as the Akka address of the Lighthouse system there.</summary>
    public static string Seed(string text, string source)
    {
        var item = text.Trim();
        var colon = item.LastIndexOf(':');
        if (colon <= 0 || colon == item.Length - 1)
            throw new ServeConfigurationException($"{source}: seed \"{text}\" is not HOST:PORT, e.g. 10.0.0.1:4053");
        var host = Hostname(item[..colon], $"{source}: the host of seed \"{text}\"");
        var portText = item[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new ServeConfigurationException($"{source}: seed \"{text}\" has port \"{portText}\"; a seed's port is 1 to 65535");
        return $"akka.tcp://{LighthouseNames.ActorSystem}@{host}:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>A directory path, made absolute (relative to the working directory), so logs and errors show where it is.</summary>
    public static string Directory(string text, string source)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Any(char.IsControl))
            throw new ServeConfigurationException($"{source} = \"{text}\": not a directory path");
        try
        {
            return Path.GetFullPath(trimmed);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ServeConfigurationException($"{source} = \"{text}\": not a directory path ({e.Message})", e);
        }
    }

    /// <summary>A file path, made absolute; whether the file exists is checked when it is loaded (naming the file).</summary>
    public static string FilePath(string text, string source)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Any(char.IsControl))
            throw new ServeConfigurationException($"{source} = \"{text}\": not a file path");
        try
        {
            return Path.GetFullPath(trimmed);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ServeConfigurationException($"{source} = \"{text}\": not a file path ({e.Message})", e);
        }
    }

    /// <summary>HOCON's booleans: on/off, true/false, yes/no.</summary>
    public static bool Switch(string text, string source) => text.Trim().ToLowerInvariant() switch
    {
        "on" or "true" or "yes" => true,
        "off" or "false" or "no" => false,
        _ => throw new ServeConfigurationException($"{source} = \"{text}\": not on or off"),
    };

    /// <summary>A HOCON string literal.</summary>
    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
