namespace Lighthouse.Protocol.Serialization;

/// <summary>Wire encoding of the downing lease asked for by a member without the lease's store (<c>DowningLeaseProtocol.cs</c>).</summary>
internal static class DowningLeaseCodecs
{
    public static IEnumerable<MessageCodec> All { get; } =
    [
        MessageCodec.For<AcquireDowningLease>("DL",
            static (w, m) => { w.WriteString(m.LeaseName); w.WriteString(m.Owner); },
            static (ref r) => new AcquireDowningLease(r.ReadString("AcquireDowningLease.LeaseName")!, r.ReadString("AcquireDowningLease.Owner")!)),
        MessageCodec.For<ReleaseDowningLease>("DU",
            static (w, m) => { w.WriteString(m.LeaseName); w.WriteString(m.Owner); },
            static (ref r) => new ReleaseDowningLease(r.ReadString("ReleaseDowningLease.LeaseName")!, r.ReadString("ReleaseDowningLease.Owner")!)),
        MessageCodec.For<DowningLeaseAnswer>("DA",
            static (w, m) => { w.WriteString(m.LeaseName); w.WriteString(m.Owner); w.WriteBool(m.Held); },
            static (ref r) => new DowningLeaseAnswer(r.ReadString("DowningLeaseAnswer.LeaseName")!, r.ReadString("DowningLeaseAnswer.Owner")!, r.ReadBool("DowningLeaseAnswer.Held"))),
    ];
}
