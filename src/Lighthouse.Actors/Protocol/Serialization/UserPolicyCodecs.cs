using System.Globalization;

namespace Lighthouse.Protocol.Serialization;

/// <summary>Wire encoding of the per-user policy requests and answers (<c>UserPolicyProtocol.cs</c>). Weights travel as invariant decimal text: exact, and any value reads back as sent for the scheduler to judge.</summary>
internal static class UserPolicyCodecs
{
    public static IEnumerable<MessageCodec> All { get; } =
    [
        MessageCodec.For<GetUserPolicies>("UPG", static (_, _) => { }, static (ref _) => GetUserPolicies.Instance),
        MessageCodec.For<UserPolicyView>("UPV", WriteView, ReadView),
        MessageCodec.For<UserPoliciesView>("UPL",
            static (w, m) => { WriteWeight(w, m.DefaultWeight); w.WriteNullableInt(m.DefaultMaxRunning); w.WriteList(m.Users, WriteView); },
            static (ref r) => new UserPoliciesView(ReadWeight(ref r, "UserPoliciesView.DefaultWeight"), r.ReadNullableInt("UserPoliciesView.DefaultMaxRunning"),
                r.ReadList("UserPoliciesView.Users", ReadView)!)),
        MessageCodec.For<SetUserPolicy>("UPS",
            static (w, m) =>
            {
                w.WriteString(m.UserId);
                w.WriteBool(m.Weight is not null);
                if (m.Weight is { } weight) WriteWeight(w, weight);
                w.WriteNullableInt(m.MaxRunning);
                w.WriteBool(m.ResetWeight);
                w.WriteBool(m.ResetMaxRunning);
            },
            static (ref r) => new SetUserPolicy(
                r.ReadString("SetUserPolicy.UserId")!,
                r.ReadBool("SetUserPolicy.Weight") ? ReadWeight(ref r, "SetUserPolicy.Weight") : null,
                r.ReadNullableInt("SetUserPolicy.MaxRunning"),
                r.ReadBool("SetUserPolicy.ResetWeight"),
                r.ReadBool("SetUserPolicy.ResetMaxRunning"))),
        MessageCodec.For<UserPolicySet>("UPA",
            static (w, m) => WriteView(w, m.User),
            static (ref r) => new UserPolicySet(ReadView(ref r))),
        MessageCodec.For<UserPolicyRejected>("UPR",
            static (w, m) => { w.WriteString(m.UserId); w.WriteString(m.Reason); },
            static (ref r) => new UserPolicyRejected(r.ReadString("UserPolicyRejected.UserId")!, r.ReadString("UserPolicyRejected.Reason")!)),
    ];

    private static void WriteView(WireWriter w, UserPolicyView m)
    {
        w.WriteString(m.UserId);
        WriteWeight(w, m.Weight);
        w.WriteNullableInt(m.MaxRunning);
        w.WriteBool(m.SetAtRuntime);
    }

    private static UserPolicyView ReadView(ref WireReader r) => new(
        r.ReadString("UserPolicyView.UserId")!,
        ReadWeight(ref r, "UserPolicyView.Weight"),
        r.ReadNullableInt("UserPolicyView.MaxRunning"),
        r.ReadBool("UserPolicyView.SetAtRuntime"));

    internal static void WriteWeight(WireWriter w, decimal weight) => w.WriteString(weight.ToString(CultureInfo.InvariantCulture));

    internal static decimal ReadWeight(ref WireReader r, string what)
    {
        var text = r.ReadString(what);
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var weight)
            ? weight
            : throw new WireFormatException($"{what}: \"{text}\" is not a decimal number");
    }
}
