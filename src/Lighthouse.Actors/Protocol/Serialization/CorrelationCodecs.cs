namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// Wire encoding of <see cref="CorrelatedRequest"/> and <see cref="CorrelatedAnswer"/>: the id (zigzag varint), then
/// the inner message as its manifest and its own encoding, as in a batch. The inner message is a plain protocol
/// message: neither a batch (a batch holds wrappers, not the other way round) nor another wrapper.
/// </summary>
internal static class CorrelationCodecs
{
    public const string RequestManifest = "CQ";
    public const string AnswerManifest = "CA";

    public static IEnumerable<MessageCodec> All { get; } =
    [
        MessageCodec.For<CorrelatedRequest>(RequestManifest,
            static (w, m) => { w.WriteInt(m.CorrelationId); WriteInner(w, m.Request, nameof(CorrelatedRequest)); },
            static (ref r) => new CorrelatedRequest(r.ReadLong("CorrelatedRequest.CorrelationId"), ReadInner(ref r, nameof(CorrelatedRequest)))),
        MessageCodec.For<CorrelatedAnswer>(AnswerManifest,
            static (w, m) => { w.WriteInt(m.CorrelationId); WriteInner(w, m.Answer, nameof(CorrelatedAnswer)); },
            static (ref r) => new CorrelatedAnswer(r.ReadLong("CorrelatedAnswer.CorrelationId"), ReadInner(ref r, nameof(CorrelatedAnswer)))),
    ];

    private static void WriteInner(WireWriter w, object message, string what)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Nests(message.GetType()))
            throw new System.Runtime.Serialization.SerializationException($"a {what} cannot hold a {message.GetType().Name}");
        var codec = ProtocolCodecs.ForType(message.GetType())
            ?? throw new System.Runtime.Serialization.SerializationException(
                $"{message.GetType().FullName} in a {what} has no Lighthouse wire encoding: add a codec for it in Protocol/Serialization");
        w.WriteString(codec.ManifestOf(message));
        codec.Write(w, message);
    }

    private static object ReadInner(ref WireReader r, string what)
    {
        var manifest = r.ReadString($"{what} manifest") ?? throw new WireFormatException($"{what}: the inner message has no manifest");
        var codec = ProtocolCodecs.ForManifest(manifest)
            ?? throw new WireFormatException($"{what}: the inner message has the unknown manifest \"{manifest}\"");
        if (Nests(codec.Type)) throw new WireFormatException($"{what}: the inner message is a {codec.Type.Name}; wrappers and batches do not go inside a wrapper");
        return codec.Read(ref r);
    }

    private static bool Nests(Type type) =>
        type == typeof(MessageBatch) || type == typeof(CorrelatedRequest) || type == typeof(CorrelatedAnswer) || type == typeof(Authorized);
}
