using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;

namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// Takes the place of Akka.Remote's <c>DaemonMsgCreateSerializer</c> (name <c>daemon-create</c>, identifier 3) and refuses
/// everything. That serializer carries remote deployment: a peer sends <c>DaemonMsgCreate</c> with <c>Props</c> naming an
/// actor type and its constructor arguments, and the receiving node's remote daemon constructs that actor. Any peer that
/// reaches the cluster port could so make a node build and run a type of its choosing. Lighthouse never deploys remotely
/// (neither do the cluster tools it uses: the singleton, the receptionist and pub-sub create their actors locally; only
/// Akka's cluster router pools would, and Lighthouse has none), so the message is refused outright, on the way out (a
/// clear error at the sender) and on the way in (dropped, nothing constructed). Akka picks the serializer by the
/// identifier in each envelope, so identifier 3 itself must lead here, as <see cref="RefusingJsonSerializer"/> does for 1.
/// Registered by <see cref="LighthouseSerialization.Configuration"/>, and put in place at run time by
/// <see cref="LighthouseConfig.Prepare"/> on a system built without it.
/// </summary>
public sealed class RefusingDaemonCreateSerializer : RefusingSerializer
{
    /// <summary>The identifier of Akka.Remote's <c>DaemonMsgCreateSerializer</c>, which this serializer replaces.</summary>
    public const int AkkaDaemonCreateSerializerId = 3;

    /// <summary>The name Akka.Remote registers that serializer under, and the <c>DaemonMsgCreate</c> binding points to.</summary>
    public const string AkkaDaemonCreateSerializerName = "daemon-create";

    public RefusingDaemonCreateSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    // Akka passes akka.actor.serialization-settings.daemon-create when that section exists.
    public RefusingDaemonCreateSerializer(ExtendedActorSystem system, Config settings) : base(system)
    {
    }

    public override int Identifier => AkkaDaemonCreateSerializerId;

    protected override SerializationException Incoming(int bytes, string manifest) => new(
        $"refused a remote deployment (serializer id {AkkaDaemonCreateSerializerId}, {bytes} bytes): " +
        "Lighthouse nodes create no actors on a peer's request, nothing was constructed");

    protected override SerializationException Outgoing(object? message) => new(
        $"{message?.GetType().FullName ?? "null"}: Lighthouse refuses remote deployment (Props with a RemoteScope, or a remote " +
        "router pool); create the actor on its own node and send it messages");
}
