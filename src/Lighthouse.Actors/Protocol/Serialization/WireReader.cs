using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Lighthouse.Protocol.Serialization;

/// <summary>Reads one value of <typeparamref name="T"/> from the reader's current position.</summary>
internal delegate T ReadBody<out T>(ref WireReader reader);

/// <summary>
/// Reads what <see cref="WireWriter"/> wrote. Every read checks the bytes left and every value its
/// range, so truncated or corrupt input ends in a <see cref="WireFormatException"/> saying what was
/// being read and where, never in an out-of-range index or a wrong object.
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> bytes)
{
    // Strict: invalid UTF-8 is corruption, not text to patch with replacement characters.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    /// <summary>Fails unless every byte was read: trailing bytes mean the input is not what was written.</summary>
    public readonly void EnsureEnd()
    {
        if (_position != _bytes.Length)
            throw new WireFormatException($"{_bytes.Length - _position} unexpected trailing byte(s) at offset {_position} of {_bytes.Length}");
    }

    /// <summary>Where the next read starts.</summary>
    public readonly int Position => _position;

    /// <summary>Reads the four-byte little-endian length <see cref="WireWriter.EndLength"/> wrote, checked against the bytes left.</summary>
    public int ReadLength(string what)
    {
        if (_bytes.Length - _position < 4) throw new WireFormatException($"{what}: truncated length at offset {_position}");
        var length = BinaryPrimitives.ReadInt32LittleEndian(_bytes.Slice(_position));
        _position += 4;
        if (length < 0 || length > _bytes.Length - _position)
            throw new WireFormatException($"{what}: {length} byte(s) announced at offset {_position} but only {_bytes.Length - _position} byte(s) left");
        return length;
    }

    /// <summary>Moves to <paramref name="position"/>, which must lie between here and the end (skips what a reader does not know).</summary>
    public void SkipTo(int position, string what)
    {
        if (position < _position || position > _bytes.Length)
            throw new WireFormatException($"{what}: read past its length (at offset {_position}, the field ends at {position})");
        _position = position;
    }

    public bool ReadBool(string what)
    {
        var b = ReadByte(what);
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new WireFormatException($"{what}: expected a boolean (0 or 1) at offset {_position - 1}, found {b}"),
        };
    }

    public byte ReadByte(string what)
    {
        Need(1, what);
        return _bytes[_position++];
    }

    public ulong ReadUInt(string what)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte(what);
            if (shift == 63 && b > 1) break;
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw new WireFormatException($"{what}: varint longer than 64 bits at offset {_position}");
    }

    public long ReadLong(string what)
    {
        var raw = ReadUInt(what);
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public int ReadInt(string what)
    {
        var value = ReadLong(what);
        if (value is < int.MinValue or > int.MaxValue)
            throw new WireFormatException($"{what}: {value} is out of the range of a 32-bit integer");
        return (int)value;
    }

    public int? ReadNullableInt(string what) => ReadBool(what) ? ReadInt(what) : null;

    public bool? ReadNullableBool(string what) => ReadBool(what) ? ReadBool(what) : null;

    public double ReadDouble(string what)
    {
        Need(8, what);
        var value = BinaryPrimitives.ReadDoubleLittleEndian(_bytes[_position..]);
        _position += 8;
        return value;
    }

    public long ReadFixedLong(string what)
    {
        Need(8, what);
        var value = BinaryPrimitives.ReadInt64LittleEndian(_bytes[_position..]);
        _position += 8;
        return value;
    }

    public TimeSpan ReadTimeSpan(string what) => TimeSpan.FromTicks(ReadLong(what));

    public TimeSpan? ReadNullableTimeSpan(string what) => ReadBool(what) ? ReadTimeSpan(what) : null;

    public DateTimeOffset ReadDateTimeOffset(string what)
    {
        var ticks = ReadFixedLong(what);
        var minutes = ReadLong(what);
        // DateTimeOffset allows ±14 h; outside that, or ticks outside DateTime's range, the bytes are corrupt.
        if (minutes is < -14 * 60 or > 14 * 60)
            throw new WireFormatException($"{what}: offset of {minutes} minutes is outside ±14 hours");
        var offset = TimeSpan.FromMinutes(minutes);
        var utcTicks = ticks - offset.Ticks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
            throw new WireFormatException($"{what}: {ticks} ticks at offset {offset} is not a valid date and time");
        return new DateTimeOffset(ticks, offset);
    }

    public DateTimeOffset? ReadNullableDateTimeOffset(string what) => ReadBool(what) ? ReadDateTimeOffset(what) : null;

    /// <summary>Reads a collection's count + 1 marker: null for a null collection, else the count.</summary>
    /// <param name="minElementSize">The fewest bytes one element takes, to reject counts the remaining bytes cannot hold before allocating.</param>
    public int? ReadCount(string what, int minElementSize)
    {
        var marker = ReadUInt(what);
        if (marker == 0) return null;
        var count = marker - 1;
        var left = (ulong)(_bytes.Length - _position);
        if (count > int.MaxValue || count * (ulong)minElementSize > left)
            throw new WireFormatException($"{what}: {count} element(s) announced at offset {_position} but only {left} byte(s) left");
        return (int)count;
    }

    public string? ReadString(string what)
    {
        var marker = ReadUInt(what);
        if (marker == 0) return null;
        var length = marker - 1;
        var start = _position;
        if (length > (ulong)(_bytes.Length - _position))
            throw new WireFormatException($"{what}: text of {length} byte(s) announced at offset {start} but only {_bytes.Length - _position} byte(s) left");
        var slice = _bytes.Slice(_position, (int)length);
        _position += (int)length;
        try
        {
            return Utf8.GetString(slice);
        }
        catch (DecoderFallbackException)
        {
            throw new WireFormatException($"{what}: invalid UTF-8 in the text at offset {start}");
        }
    }

    public byte[]? ReadBytes(string what)
    {
        var marker = ReadUInt(what);
        if (marker == 0) return null;
        var length = marker - 1;
        if (length > (ulong)(_bytes.Length - _position))
            throw new WireFormatException($"{what}: {length} byte(s) announced at offset {_position} but only {_bytes.Length - _position} byte(s) left");
        var value = _bytes.Slice(_position, (int)length).ToArray();
        _position += (int)length;
        return value;
    }

    public IReadOnlyList<string>? ReadStringList(string what)
    {
        if (ReadCount(what, minElementSize: 1) is not { } count) return null;
        var values = new string[count];
        for (var i = 0; i < count; i++) values[i] = ReadString(what)!;
        return values;
    }

    public IReadOnlySet<string>? ReadStringSet(string what) =>
        ReadStringSet(what, static count => new HashSet<string>(count, StringComparer.Ordinal));

    /// <summary>
    /// A set read into the collection <paramref name="create"/> makes for its count (a sorted one, say), or
    /// <paramref name="none"/> when the set is empty and one is given (a shared empty, so that nothing is allocated).
    /// </summary>
    public IReadOnlySet<string>? ReadStringSet<TSet>(string what, Func<int, TSet> create, IReadOnlySet<string>? none = null)
        where TSet : ISet<string>, IReadOnlySet<string>
    {
        if (ReadCount(what, minElementSize: 1) is not { } count) return null;
        if (count == 0 && none is not null) return none;
        var values = create(count);
        for (var i = 0; i < count; i++)
        {
            var value = ReadString(what)!;
            if (!values.Add(value)) throw new WireFormatException($"{what}: \"{value}\" appears twice in a set");
        }
        return values;
    }

    public IReadOnlyDictionary<string, double>? ReadQuantities(string what) =>
        ReadQuantities(what, static count => new Dictionary<string, double>(count, StringComparer.Ordinal));

    /// <summary>Quantities read into the dictionary <paramref name="create"/> makes, or <paramref name="none"/> for none, as <see cref="ReadStringSet{TSet}"/>.</summary>
    public IReadOnlyDictionary<string, double>? ReadQuantities<TDictionary>(string what, Func<int, TDictionary> create, IReadOnlyDictionary<string, double>? none = null)
        where TDictionary : IDictionary<string, double>, IReadOnlyDictionary<string, double>
    {
        if (ReadCount(what, minElementSize: 9) is not { } count) return null;
        if (count == 0 && none is not null) return none;
        var quantities = create(count);
        for (var i = 0; i < count; i++)
        {
            var key = ReadString(what);
            if (key is null) throw new WireFormatException($"{what}: null key");
            if (!quantities.TryAdd(key, ReadDouble(what))) throw new WireFormatException($"{what}: key \"{key}\" appears twice");
        }
        return quantities;
    }

    public IReadOnlyDictionary<int, int>? ReadCounts(string what)
    {
        if (ReadCount(what, minElementSize: 2) is not { } count) return null;
        var counts = new Dictionary<int, int>(count);
        for (var i = 0; i < count; i++)
        {
            var key = ReadInt(what);
            if (!counts.TryAdd(key, ReadInt(what))) throw new WireFormatException($"{what}: key {key} appears twice");
        }
        return counts;
    }

    public T? ReadOptional<T>(string what, ReadBody<T> readItem) where T : class =>
        ReadBool(what) ? readItem(ref this) : null;

    public IReadOnlyList<T>? ReadList<T>(string what, ReadBody<T> readItem) where T : class
    {
        // Every element takes at least one byte, which bounds the array by the input's size.
        if (ReadCount(what, minElementSize: 1) is not { } count) return null;
        var items = new T[count];
        for (var i = 0; i < count; i++) items[i] = ReadOptional(what, readItem)!;
        return items;
    }

    /// <summary>Reads an int-based enum, refusing values the enum does not define.</summary>
    public TEnum ReadEnum<TEnum>(string what) where TEnum : struct, Enum
    {
        var value = ReadInt(what);
        var result = Unsafe.As<int, TEnum>(ref value);
        if (Unsafe.SizeOf<TEnum>() != sizeof(int) || !Enum.IsDefined(result))
            throw new WireFormatException($"{what}: {value} is not a {typeof(TEnum).Name}");
        return result;
    }

    private readonly void Need(int count, string what)
    {
        if (_bytes.Length - _position < count)
            throw new WireFormatException($"{what}: truncated at offset {_position}, {count} more byte(s) needed, {_bytes.Length - _position} left");
    }
}
