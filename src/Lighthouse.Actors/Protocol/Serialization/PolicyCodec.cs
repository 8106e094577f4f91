namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// Wire encoding of the task policies (<see cref="RetryPolicy"/>, timeout, delay), shared by the protocol and the journal.
/// Policies came after the records that carry them, so a record with one travels under an extended manifest
/// (<see cref="MessageCodec.Extended{T}"/>): a record without policies is encoded byte for byte as before.
/// </summary>
internal static class PolicyCodec
{
    public static void WriteRetry(WireWriter w, RetryPolicy? retry)
    {
        w.WriteBool(retry is not null);
        if (retry is null) return;
        w.WriteInt(retry.Attempts);
        w.WriteTimeSpan(retry.Backoff);
        w.WriteNullableTimeSpan(retry.MaxBackoff);
    }

    public static RetryPolicy? ReadRetry(ref WireReader r, string what) => r.ReadBool(what)
        ? new RetryPolicy(r.ReadInt(what + ".Attempts"), r.ReadTimeSpan(what + ".Backoff"), r.ReadNullableTimeSpan(what + ".MaxBackoff"))
        : null;
}
