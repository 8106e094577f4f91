namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// Wire encoding of the session conversation (<c>SessionProtocol.cs</c>). <see cref="Authorized"/> holds its message as a
/// manifest and its own encoding, like a correlated request: a plain message, a <see cref="CorrelatedRequest"/> or a
/// <see cref="MessageBatch"/>, never another <see cref="Authorized"/> (and a batch never holds one: see <see cref="BatchCodecs"/>).
/// </summary>
internal static class SessionCodecs
{
    public const string AuthorizedManifest = "AU";

    public static IEnumerable<MessageCodec> All { get; } =
    [
        MessageCodec.For<OpenSession>("SO",
            static (w, m) => { w.WriteBytes(m.Certificate); w.WriteInt(m.IssuedAtUnixMs); w.WriteBytes(m.Nonce); w.WriteBytes(m.Signature); },
            static (ref r) => new OpenSession(
                r.ReadBytes("OpenSession.Certificate")!,
                r.ReadLong("OpenSession.IssuedAtUnixMs"),
                r.ReadBytes("OpenSession.Nonce")!,
                r.ReadBytes("OpenSession.Signature")!)),
        MessageCodec.For<SessionOpened>("SK",
            static (w, m) => { w.WriteString(m.Token); w.WriteString(m.Identity); },
            static (ref r) => new SessionOpened(r.ReadString("SessionOpened.Token")!, r.ReadString("SessionOpened.Identity")!)),
        MessageCodec.For<SessionRefused>("SX",
            static (w, m) => w.WriteString(m.Reason),
            static (ref r) => new SessionRefused(r.ReadString("SessionRefused.Reason")!)),
        MessageCodec.For<NotAuthorized>("NA",
            static (w, m) => { w.WriteString(m.Reason); w.WriteBool(m.SessionUnknown); },
            static (ref r) => new NotAuthorized(r.ReadString("NotAuthorized.Reason")!, r.ReadBool("NotAuthorized.SessionUnknown"))),
        MessageCodec.For<Authorized>(AuthorizedManifest,
            static (w, m) => { w.WriteString(m.Token); WriteInner(w, m.Message); },
            static (ref r) => new Authorized(r.ReadString("Authorized.Token")!, ReadInner(ref r))),
    ];

    private static void WriteInner(WireWriter w, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is Authorized) throw new System.Runtime.Serialization.SerializationException("an Authorized cannot hold another Authorized");
        var codec = ProtocolCodecs.ForType(message.GetType())
            ?? throw new System.Runtime.Serialization.SerializationException(
                $"{message.GetType().FullName} in an Authorized has no Lighthouse wire encoding: add a codec for it in Protocol/Serialization");
        w.WriteString(codec.ManifestOf(message));
        codec.Write(w, message);
    }

    private static object ReadInner(ref WireReader r)
    {
        var manifest = r.ReadString("Authorized manifest") ?? throw new WireFormatException("Authorized: the inner message has no manifest");
        if (manifest == AuthorizedManifest) throw new WireFormatException("Authorized: the inner message is itself an Authorized; they do not nest");
        var codec = ProtocolCodecs.ForManifest(manifest)
            ?? throw new WireFormatException($"Authorized: the inner message has the unknown manifest \"{manifest}\"");
        return codec.Read(ref r);
    }
}
