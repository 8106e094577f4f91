using System.Collections.Frozen;

namespace Lighthouse.Protocol.Serialization;

/// <summary>Every message codec, found by the message's type when writing and by its manifest when reading.</summary>
internal static class ProtocolCodecs
{
    public static IReadOnlyList<MessageCodec> All { get; } = [.. ClientCodecs.All, .. WorkerCodecs.All, .. MonitorCodecs.All, .. LimitsCodecs.All, .. BatchCodecs.All, .. CorrelationCodecs.All, .. SessionCodecs.All, .. MembershipCodecs.All, .. UserPolicyCodecs.All, .. DowningLeaseCodecs.All];

    // Two codecs for one type or one manifest is a programming error: fail when the table is built,
    // not on the first message that happens to hit it.
    private static readonly FrozenDictionary<Type, MessageCodec> ByType = All.ToFrozenDictionary(c => c.Type);
    private static readonly FrozenDictionary<string, MessageCodec> ByManifest = All.SelectMany(c => c.Readers).ToFrozenDictionary(c => c.Manifest, StringComparer.Ordinal);

    public static MessageCodec? ForType(Type type) => ByType.GetValueOrDefault(type);

    public static MessageCodec? ForManifest(string manifest) => ByManifest.GetValueOrDefault(manifest);
}
