namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// Wire encoding of <see cref="MessageBatch"/>: the count, then each message as its manifest and its own
/// encoding. Every message of a batch must have a Lighthouse codec; batches do not nest, and an
/// <see cref="Authorized"/> holds a batch, never the other way round.
/// </summary>
internal static class BatchCodecs
{
    public const string Manifest = "MB";

    public static IEnumerable<MessageCodec> All { get; } =
    [
        MessageCodec.For<MessageBatch>(Manifest, Write, Read),
    ];

    private static void Write(WireWriter w, MessageBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch.Messages);
        w.WriteUInt((ulong)batch.Messages.Count + 1);
        foreach (var message in batch.Messages)
        {
            var codec = Inner(message);
            w.WriteString(codec.ManifestOf(message));
            codec.Write(w, message);
        }
    }

    private static MessageBatch Read(ref WireReader r)
    {
        // Each message takes at least its manifest (two bytes and a length).
        var count = r.ReadCount("MessageBatch.Messages", minElementSize: 3)
            ?? throw new WireFormatException("MessageBatch.Messages: a batch has a list of messages, not null");
        var messages = new object[count];
        for (var i = 0; i < count; i++)
        {
            var manifest = r.ReadString("MessageBatch manifest")
                ?? throw new WireFormatException($"MessageBatch: message {i} has no manifest");
            if (manifest == Manifest) throw new WireFormatException($"MessageBatch: message {i} is itself a batch; batches do not nest");
            if (manifest == SessionCodecs.AuthorizedManifest) throw new WireFormatException($"MessageBatch: message {i} is an Authorized; a batch goes inside an Authorized, not the other way round");
            var codec = ProtocolCodecs.ForManifest(manifest)
                ?? throw new WireFormatException($"MessageBatch: message {i} has the unknown manifest \"{manifest}\"");
            messages[i] = codec.Read(ref r);
        }
        return new MessageBatch(messages);
    }

    private static MessageCodec Inner(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is MessageBatch) throw new System.Runtime.Serialization.SerializationException("a MessageBatch cannot hold another MessageBatch");
        if (message is Authorized) throw new System.Runtime.Serialization.SerializationException("a MessageBatch cannot hold an Authorized: wrap the batch instead");
        return ProtocolCodecs.ForType(message.GetType())
            ?? throw new System.Runtime.Serialization.SerializationException(
                $"{message.GetType().FullName} in a MessageBatch has no Lighthouse wire encoding: add a codec for it in Protocol/Serialization");
    }
}
