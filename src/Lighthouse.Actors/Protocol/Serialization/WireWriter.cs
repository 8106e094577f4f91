using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;

namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// Appends the wire encoding to a growable buffer. One instance per thread is reused (see
/// <see cref="Rent"/>), so encoding a message allocates only the final byte array.
/// </summary>
/// <remarks>
/// Encoding: integers as LEB128 varints (signed ones zigzagged, so small negatives stay short);
/// doubles as their 8 raw little-endian bits (bit-exact, NaN payloads and -0 included); strings as
/// a varint of (UTF-8 length + 1) followed by the bytes, 0 meaning null; collections as a varint of
/// (count + 1), 0 meaning null. Nulls are kept even where the type says non-null, so a round trip
/// never changes a message.
/// </remarks>
internal sealed class WireWriter
{
    // Strict: a lone surrogate cannot be written as UTF-8, and replacing it would change the text silently.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Larger buffers are dropped after use, so one huge payload or snapshot does not pin memory per thread; a full
    // batch (Outbox, EventBatch: tens of KB) stays under it and reuses its buffer instead of regrowing it.
    private const int RetainedCapacity = 1024 * 1024;

    [ThreadStatic] private static WireWriter? _cached;

    private byte[] _buffer = new byte[256];
    private int _position;

    /// <summary>The calling thread's writer, emptied.</summary>
    public static WireWriter Rent()
    {
        var writer = _cached ??= new WireWriter();
        writer._position = 0;
        if (writer._buffer.Length > RetainedCapacity) writer._buffer = new byte[256];
        return writer;
    }

    /// <summary>
    /// The calling thread's writer, emptied, with room for <paramref name="capacity"/> bytes: for an encoding whose size
    /// is known roughly in advance (a snapshot of tens of MB), one allocation instead of a chain of doublings.
    /// </summary>
    public static WireWriter Rent(int capacity)
    {
        var writer = Rent();
        if (capacity > writer._buffer.Length) writer._buffer = new byte[capacity];
        return writer;
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _position).ToArray();

    /// <summary>
    /// Drops this writer's buffer now if it is over the size kept for reuse, rather than at the thread's next
    /// <see cref="Rent()"/>: a snapshot's buffer (over 100 MB for a million tasks) is otherwise held by an idle thread.
    /// </summary>
    public void ReleaseLargeBuffer()
    {
        if (_buffer.Length > RetainedCapacity) _buffer = new byte[256];
    }

    public void WriteBool(bool value)
    {
        Ensure(1);
        _buffer[_position++] = value ? (byte)1 : (byte)0;
    }

    public void WriteUInt(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[_position++] = (byte)value;
    }

    public void WriteInt(long value) => WriteUInt((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Reserves four bytes for the length of what follows; <see cref="EndLength"/> fills them in (see <see cref="TaggedFields"/>).</summary>
    public int BeginLength()
    {
        Ensure(4);
        _position += 4;
        return _position;
    }

    /// <summary>Writes the bytes written since <paramref name="start"/> (from <see cref="BeginLength"/>) as their length, little-endian.</summary>
    public void EndLength(int start) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start - 4), _position - start);

    public void WriteDouble(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void WriteFixedLong(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void WriteTimeSpan(TimeSpan value) => WriteInt(value.Ticks);

    /// <summary>The clock ticks and the offset in minutes, so the offset survives, not only the instant.</summary>
    public void WriteNullableTimeSpan(TimeSpan? value)
    {
        WriteBool(value.HasValue);
        if (value is { } span) WriteTimeSpan(span);
    }

    public void WriteDateTimeOffset(DateTimeOffset value)
    {
        WriteFixedLong(value.Ticks);
        WriteInt((long)value.Offset.TotalMinutes);
    }

    public void WriteNullableDateTimeOffset(DateTimeOffset? value)
    {
        WriteBool(value.HasValue);
        if (value.HasValue) WriteDateTimeOffset(value.Value);
    }

    public void WriteNullableBool(bool? value)
    {
        WriteBool(value.HasValue);
        if (value.HasValue) WriteBool(value.Value);
    }

    public void WriteNullableInt(int? value)
    {
        WriteBool(value.HasValue);
        if (value.HasValue) WriteInt(value.Value);
    }

    /// <summary>Writes a count + 1 marker for a collection, or 0 for null; true when elements follow.</summary>
    public bool WriteCount(int? count)
    {
        WriteUInt(count is { } n ? (ulong)n + 1 : 0);
        return count.HasValue;
    }

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteUInt(0);
            return;
        }
        int byteCount;
        // Up to 42 chars the UTF-8 form is at most 126 bytes, so its length marker is one byte:
        // encode straight into place and fill the marker in afterwards, in one pass over the text.
        if (value.Length <= 42)
        {
            Ensure(1 + value.Length * 3);
            byteCount = Encode(value, _position + 1);
            _buffer[_position] = (byte)(byteCount + 1);
            _position += 1 + byteCount;
            return;
        }
        try
        {
            byteCount = Utf8.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw InvalidText(e);
        }
        WriteUInt((ulong)byteCount + 1);
        Ensure(byteCount);
        _position += Encode(value, _position);
    }

    /// <summary>Raw bytes (a certificate, a signature): a varint of (length + 1), 0 meaning null, then the bytes.</summary>
    public void WriteBytes(byte[]? value)
    {
        if (value is null)
        {
            WriteUInt(0);
            return;
        }
        WriteUInt((ulong)value.Length + 1);
        Ensure(value.Length);
        value.CopyTo(_buffer, _position);
        _position += value.Length;
    }

    public void WriteStringList(IReadOnlyList<string>? values)
    {
        if (!WriteCount(values?.Count)) return;
        for (var i = 0; i < values!.Count; i++) WriteString(values[i]);
    }

    public void WriteStringSet(IReadOnlySet<string>? values)
    {
        if (!WriteCount(values?.Count)) return;
        foreach (var value in values!) WriteString(value);
    }

    public void WriteQuantities(IReadOnlyDictionary<string, double>? quantities)
    {
        if (!WriteCount(quantities?.Count)) return;
        foreach (var (key, value) in quantities!)
        {
            WriteString(key);
            WriteDouble(value);
        }
    }

    public void WriteCounts(IReadOnlyDictionary<int, int>? counts)
    {
        if (!WriteCount(counts?.Count)) return;
        foreach (var (key, value) in counts!)
        {
            WriteInt(key);
            WriteInt(value);
        }
    }

    /// <summary>A presence marker, then the record if there is one.</summary>
    public void WriteOptional<T>(T? item, Action<WireWriter, T> writeItem) where T : class
    {
        WriteBool(item is not null);
        if (item is not null) writeItem(this, item);
    }

    public void WriteList<T>(IReadOnlyList<T>? items, Action<WireWriter, T> writeItem) where T : class
    {
        if (!WriteCount(items?.Count)) return;
        for (var i = 0; i < items!.Count; i++) WriteOptional(items[i], writeItem);
    }

    private int Encode(string value, int at)
    {
        try
        {
            return Utf8.GetBytes(value, _buffer.AsSpan(at));
        }
        catch (EncoderFallbackException e)
        {
            throw InvalidText(e);
        }
    }

    private static SerializationException InvalidText(EncoderFallbackException e) =>
        new($"text is not valid UTF-16 (lone surrogate at index {e.Index}) and cannot be sent as UTF-8 without changing it", e);

    private void Ensure(int extra)
    {
        if (_buffer.Length - _position >= extra) return;
        var needed = (long)_position + extra;
        if (needed > Array.MaxLength) throw new SerializationException($"message of more than {Array.MaxLength} bytes cannot be encoded");
        var size = Math.Max(needed, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        Array.Resize(ref _buffer, (int)size);
    }
}
