namespace Lighthouse.Protocol.Serialization;

/// <summary>Wire encoding of the concurrency limits' requests and answers (<c>LimitsProtocol.cs</c>).</summary>
internal static class LimitsCodecs
{
    public static IEnumerable<MessageCodec> All { get; } =
    [
        MessageCodec.For<GetConcurrencyLimits>("GL", static (_, _) => { }, static (ref _) => GetConcurrencyLimits.Instance),
        MessageCodec.For<ConcurrencyKeyView>("KV", WriteKeyView, ReadKeyView),
        MessageCodec.For<ConcurrencyLimitsView>("CV",
            static (w, m) => { w.WriteList(m.Keys, WriteKeyView); w.WriteNullableInt(m.DefaultLimit); w.WriteInt(m.Waits); },
            static (ref r) => new ConcurrencyLimitsView(
                r.ReadList("ConcurrencyLimitsView.Keys", ReadKeyView)!,
                r.ReadNullableInt("ConcurrencyLimitsView.DefaultLimit"),
                r.ReadLong("ConcurrencyLimitsView.Waits"))),
        MessageCodec.For<SetConcurrencyLimit>("SL",
            static (w, m) => { w.WriteString(m.Key); w.WriteNullableInt(m.Limit); },
            static (ref r) => new SetConcurrencyLimit(r.ReadString("SetConcurrencyLimit.Key")!, r.ReadNullableInt("SetConcurrencyLimit.Limit"))),
        MessageCodec.For<ConcurrencyLimitSet>("LS",
            static (w, m) => WriteKeyView(w, m.Key),
            static (ref r) => new ConcurrencyLimitSet(ReadKeyView(ref r))),
        MessageCodec.For<ConcurrencyLimitRejected>("LR",
            static (w, m) => { w.WriteString(m.Key); w.WriteString(m.Reason); },
            static (ref r) => new ConcurrencyLimitRejected(r.ReadString("ConcurrencyLimitRejected.Key")!, r.ReadString("ConcurrencyLimitRejected.Reason")!)),
    ];

    private static void WriteKeyView(WireWriter w, ConcurrencyKeyView m)
    {
        w.WriteString(m.Key);
        w.WriteNullableInt(m.Limit);
        w.WriteNullableInt(m.ConfiguredLimit);
        w.WriteNullableInt(m.RuntimeLimit);
        w.WriteInt(m.Running);
        w.WriteInt(m.Queued);
        w.WriteInt(m.Waiting);
    }

    private static ConcurrencyKeyView ReadKeyView(ref WireReader r) => new(
        Key: r.ReadString("ConcurrencyKeyView.Key")!,
        Limit: r.ReadNullableInt("ConcurrencyKeyView.Limit"),
        ConfiguredLimit: r.ReadNullableInt("ConcurrencyKeyView.ConfiguredLimit"),
        RuntimeLimit: r.ReadNullableInt("ConcurrencyKeyView.RuntimeLimit"),
        Running: r.ReadInt("ConcurrencyKeyView.Running"),
        Queued: r.ReadInt("ConcurrencyKeyView.Queued"),
        Waiting: r.ReadInt("ConcurrencyKeyView.Waiting"));
}
