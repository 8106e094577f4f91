using Akka.Configuration;

namespace Lighthouse.Persistence;

/// <summary>
/// How the scheduler persists its events: which Akka.Persistence journal and snapshot plugins it writes to (none:
/// everything in memory, the library default), and how often it snapshots. The library knows no database: the
/// <c>Lighthouse.Persistence.Sql</c> package (what <c>lighthouse serve</c> uses) makes these settings for SQLite or
/// PostgreSQL, and an application may point <see cref="JournalPluginId"/> at any plugin its configuration holds.
/// </summary>
public sealed record DurabilitySettings
{
    public const string Section = "lighthouse.persistence";

    /// <summary>The scheduler's persistence id: the one stream of events every host's scheduler shares.</summary>
    public const string PersistenceId = "lighthouse-scheduler";

    /// <summary>The plugins of in-memory mode: nothing is ever written to them, they only answer the recovery.</summary>
    public const string MemoryJournal = "akka.persistence.journal.inmem";

    public const string MemorySnapshotStore = "akka.persistence.snapshot-store.inmem";

    /// <summary>No persistence, with the defaults of the other knobs.</summary>
    public static DurabilitySettings InMemory { get; } = new();

    /// <summary>The journal plugin's configuration path (e.g. <c>akka.persistence.journal.sql</c>); null in memory.</summary>
    public string? JournalPluginId { get; init; }

    /// <summary>The snapshot store plugin's configuration path; null in memory.</summary>
    public string? SnapshotPluginId { get; init; }

    /// <summary>What the journal is, as an operator recognises it (never with a password), for log lines.</summary>
    public string Description { get; init; } = "no persistence (in memory)";

    /// <summary>A snapshot after at most this many journaled events (but see <see cref="SnapshotEventsPerTask"/>); default in reference.conf.</summary>
    public int SnapshotEvery { get; init; } = LighthouseConfig.Reference.GetInt($"{Section}.snapshot-every");

    /// <summary>How long recovered workers have to register again before their running tasks are re-queued; default in reference.conf.</summary>
    public TimeSpan RecoveryGrace { get; init; } = LighthouseConfig.Reference.GetTimeSpan($"{Section}.recovery-grace");

    /// <summary>
    /// A snapshot holds every task the scheduler knows, so it is never taken more often than every this many journaled
    /// events per known task, whatever <see cref="SnapshotEvery"/> says: a busy scheduler would otherwise rewrite all
    /// its retained results more than once a second. 0 snapshots by <see cref="SnapshotEvery"/> alone.
    /// </summary>
    public int SnapshotEventsPerTask { get; init; } = 2;

    public bool IsDurable => JournalPluginId is not null;

    /// <summary>
    /// Persist to the journal and snapshot store configured at <paramref name="journalPluginId"/> and
    /// <paramref name="snapshotPluginId"/>; the system's configuration must also hold <see cref="PersistenceConfig.Serialization"/>.
    /// </summary>
    public static DurabilitySettings Plugins(string journalPluginId, string snapshotPluginId, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(journalPluginId);
        ArgumentException.ThrowIfNullOrWhiteSpace(snapshotPluginId);
        return new DurabilitySettings { JournalPluginId = journalPluginId, SnapshotPluginId = snapshotPluginId, Description = description };
    }

    /// <summary>
    /// These settings with the scheduler's knobs of <c>lighthouse.persistence</c> (<c>snapshot-every</c>,
    /// <c>recovery-grace</c>) read from <paramref name="config"/>; a missing key keeps its value. Throws
    /// <see cref="ConfigurationException"/> naming the key and the value for anything invalid.
    /// </summary>
    public DurabilitySettings WithKnobsFrom(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = new SettingsSection(Section, config.HasPath(Section) ? config.GetConfig(Section) : Config.Empty);
        return this with
        {
            SnapshotEvery = section.Positive("snapshot-every", SnapshotEvery),
            RecoveryGrace = section.Duration("recovery-grace", RecoveryGrace, "10s"),
        };
    }

    /// <summary>The journal as an operator recognises it.</summary>
    public string Describe() => Description;
}
