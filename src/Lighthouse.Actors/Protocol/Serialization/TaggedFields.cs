namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// A forward-extensible block of optional fields (docs/task-policies.md, "Wire and journal compatibility"): each present
/// field is its tag (a varint, 1 or more), its length (four bytes) and its bytes; a tag 0 ends the block. A reader skips
/// the fields whose tag it does not know and the bytes at the end of a known field it does not read, so later fields
/// (and later parts of a field) need neither a new manifest nor a new encoding: only a new tag. The block ends itself, so
/// it can sit inside a list or a batch. Tags are on the wire: never reuse one.
/// </summary>
internal static class TaggedFields
{
    private const ulong End = 0;

    /// <summary>Writes one field: its tag, then the length of what <paramref name="body"/> writes, then that.</summary>
    public static void Write<T>(WireWriter w, ulong tag, T value, Action<WireWriter, T> body)
    {
        if (tag == End) throw new ArgumentOutOfRangeException(nameof(tag), "tag 0 ends a block");
        w.WriteUInt(tag);
        var start = w.BeginLength();
        body(w, value);
        w.EndLength(start);
    }

    public static void WriteEnd(WireWriter w) => w.WriteUInt(End);

    /// <summary>
    /// The next field's tag and where it ends (for <see cref="WireReader.SkipTo"/> once read or to skip it); false at the
    /// end of the block.
    /// </summary>
    public static bool Next(ref WireReader r, string what, out ulong tag, out int end)
    {
        tag = r.ReadUInt(what + ".Tag");
        if (tag == End)
        {
            end = r.Position;
            return false;
        }
        var length = r.ReadLength(what + ".Length");
        end = r.Position + length;
        return true;
    }
}
