using System.Reflection;
using System.Text;
using Akka.Configuration;

namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// Registers <see cref="LighthouseSerializer"/> for the protocol messages. A host adds
/// <see cref="Configuration"/> to its own: <c>config.WithFallback(LighthouseSerialization.Configuration)</c>,
/// or with Akka.Hosting <c>builder.AddHocon(LighthouseSerialization.Configuration, HoconAddMode.Append)</c>.
/// Every node of a cluster needs it: a node without it cannot read what the others send.
/// </summary>
public static class LighthouseSerialization
{
    /// <summary>
    /// The serializer's identifier on the wire. Akka.NET reserves 0–100 for its own serializers; 4053
    /// (Lighthouse's cluster port) is in the user range and must never change, or nodes of different
    /// versions stop understanding each other.
    /// </summary>
    public const int SerializerId = 4053;

    /// <summary>The name the serializer is registered under in <c>akka.actor.serializers</c>.</summary>
    public const string SerializerName = "lighthouse";

    private const string ProtocolNamespace = "Lighthouse.Protocol";

    /// <summary>
    /// The types the serializer owns: every public concrete type (not an enum) in namespace
    /// <c>Lighthouse.Protocol</c>. Found by reflection, so a message added later is bound to this
    /// serializer at once, and fails the serialization tests by name until it has an encoding, instead
    /// of slipping silently onto the slow default JSON serializer.
    /// </summary>
    public static IReadOnlyList<Type> OwnedTypes { get; } = typeof(SubmitTask).Assembly.GetExportedTypes()
        .Where(t => t.Namespace == ProtocolNamespace && !t.IsAbstract && !t.IsInterface && !t.IsEnum && !t.IsGenericTypeDefinition)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToArray();

    /// <summary>
    /// HOCON that registers the serializer, binds every owned type to it and sets its identifier; and puts
    /// <see cref="RefusingJsonSerializer"/> in the place of Akka's polymorphic JSON serializer (name <c>json</c>, id 1), so
    /// that no peer can have a message read as JSON, with types left unbound refused rather than sent as JSON; and
    /// <see cref="RefusingDaemonCreateSerializer"/> in the place of Akka.Remote's (name <c>daemon-create</c>, id 3), so that
    /// no peer can have an actor of its choosing created here (remote deployment).
    /// </summary>
    public static string Hocon { get; } = BuildHocon();

    /// <summary><see cref="Hocon"/> parsed, ready for <c>WithFallback</c>.</summary>
    public static Config Configuration { get; } = ConfigurationFactory.ParseString(Hocon);

    private static string BuildHocon() => Bindings(typeof(LighthouseSerializer), SerializerName, SerializerId, OwnedTypes) + $$"""
        akka.actor {
          # Akka's default "System.Object" = json binding now leads here: an unbound type fails at the sender.
          serializers { {{RefusingJsonSerializer.AkkaJsonSerializerName}} = "{{TypeKey(typeof(RefusingJsonSerializer))}}" }
          # Akka.Remote's "Akka.Remote.DaemonMsgCreate" = daemon-create binding now leads here: no remote deployment, either way.
          serializers { {{RefusingDaemonCreateSerializer.AkkaDaemonCreateSerializerName}} = "{{TypeKey(typeof(RefusingDaemonCreateSerializer))}}" }
          serialization-settings.allow-unregistered-types = off
        }

        """;

    /// <summary>
    /// HOCON that registers <paramref name="serializer"/> under <paramref name="name"/> with identifier
    /// <paramref name="id"/> and binds each of <paramref name="types"/> to it (also the journal serializer's).
    /// </summary>
    internal static string Bindings(Type serializer, string name, int id, IEnumerable<Type> types)
    {
        var key = TypeKey(serializer);
        var hocon = new StringBuilder();
        hocon.AppendLine("akka.actor {");
        hocon.AppendLine($"  serializers {{ {name} = \"{key}\" }}");
        hocon.AppendLine($"  serialization-identifiers {{ \"{key}\" = {id} }}");
        hocon.AppendLine("  serialization-bindings {");
        foreach (var type in types) hocon.AppendLine($"    \"{TypeKey(type)}\" = {name}");
        hocon.AppendLine("  }");
        hocon.AppendLine("}");
        return hocon.ToString();
    }

    // "Namespace.Type, Assembly": what Type.GetType resolves, without a version that would tie nodes to one build.
    private static string TypeKey(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
