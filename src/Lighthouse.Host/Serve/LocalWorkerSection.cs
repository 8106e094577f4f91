using System.Globalization;
using Akka.Configuration;

namespace Lighthouse.Host.Serve;

/// <summary>The host's in-process worker: how many tasks it runs at once, and at what OS priority (docs/workers.md).</summary>
/// <param name="Slots">Tasks at once.</param>
/// <param name="Nice">The nice value of the threads running its handlers, or null for the thread pool at the host's priority.</param>
public sealed record LocalWorkerSettings(int Slots, int? Nice);

/// <summary>
/// <c>lighthouse.host.local-worker</c>. Its defaults leave the scheduler room: one core free of tasks (slots = 0 means
/// one per processor but one), and handlers on threads of their own at nice 10, below the heartbeats and the scheduler.
/// </summary>
internal static class LocalWorkerSection
{
    public const string Path = "lighthouse.host.local-worker";
    public const string SlotsKey = Path + ".slots";
    public const string NiceKey = Path + ".nice";
    public const int MaxNice = 19;

    /// <summary>The settings, or null when <c>enabled = off</c>. Throws <see cref="ServeConfigurationException"/> naming the key.</summary>
    public static LocalWorkerSettings? Read(Config config)
    {
        if (!HostValues.Switch(Text(config, HostConfiguration.LocalWorkerEnabled), HostConfiguration.LocalWorkerEnabled)) return null;
        var slotsText = Text(config, SlotsKey);
        if (!int.TryParse(slotsText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var slots))
            throw new ServeConfigurationException($"{SlotsKey} = \"{slotsText}\": not a number of slots (0 means one per processor but one)");
        return new LocalWorkerSettings(slots == 0 ? DefaultSlots(Environment.ProcessorCount) : slots, Nice(Text(config, NiceKey)));
    }

    /// <summary>One slot per processor but one, at least one: a host whose tasks fill every core delays its own heartbeats.</summary>
    public static int DefaultSlots(int processors) => Math.Max(1, processors - 1);

    private static int? Nice(string text)
    {
        var value = text.Trim();
        if (value.Equals("off", StringComparison.OrdinalIgnoreCase)) return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var nice) && nice <= MaxNice) return nice;
        throw new ServeConfigurationException(
            $"{NiceKey} = \"{text}\": not a nice value from 0 to {MaxNice} (the lowest priority), or off to run handlers on the thread pool at the host's own priority");
    }

    private static string Text(Config config, string path) =>
        config.HasPath(path) ? config.GetString(path) ?? "" : throw new ServeConfigurationException($"{path} is missing");
}
