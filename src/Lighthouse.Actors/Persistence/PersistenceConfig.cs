using Akka.Configuration;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse.Persistence;

/// <summary>
/// The Akka configuration every durable scheduler needs whatever its journal plugin: the journal serializer for
/// the scheduler's events and snapshots. The plugin's own configuration is the host's (see Lighthouse.Persistence.Sql).
/// </summary>
public static class PersistenceConfig
{
    /// <summary>The name the journal serializer is registered under in <c>akka.actor.serializers</c>.</summary>
    public const string SerializerName = "lighthouse-journal";

    /// <summary>Registers <see cref="SchedulerJournalSerializer"/> for every event and the snapshot.</summary>
    public static Config Serialization { get; } = ConfigurationFactory.ParseString(SerializationHocon());

    private static string SerializationHocon() => LighthouseSerialization.Bindings(
        typeof(SchedulerJournalSerializer), SerializerName, SchedulerJournalSerializer.SerializerId, SchedulerJournalSerializer.OwnedTypes);
}
