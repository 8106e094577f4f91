namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// The field group a task asks of a node: its requirements (resource → quantity), then the keys it is immune to.
/// Written in this order by the submission on the wire and by the journal's submission event and snapshot shapes.
/// </summary>
internal static class RequirementsCodec
{
    public static void Write(WireWriter w, IReadOnlyDictionary<string, double>? requirements, IReadOnlySet<string>? immunities)
    {
        w.WriteQuantities(requirements);
        w.WriteStringSet(immunities);
    }
}
