using System.Reflection;
using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Serialization;

/// <summary>
/// Builds an instance of any protocol type from its widest constructor, with a distinct, non-default
/// value in every field (so a decoder that drops or swaps a field is caught), or with null in every
/// nullable field. A type with a parameter it cannot fill fails naming the type and parameter.
/// </summary>
internal static class SampleFactory
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static object Create(Type type, bool nullsWherePossible)
    {
        var seed = 0;
        return Create(type, nullsWherePossible, ref seed);
    }

    private static object Create(Type type, bool nulls, ref int seed)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"{type.Name} has no public constructor to build a sample with");
        var parameters = constructor.GetParameters();
        var arguments = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var nullable = !parameters[i].ParameterType.IsValueType
                ? Nullability.Create(parameters[i]).WriteState == NullabilityState.Nullable
                : Nullable.GetUnderlyingType(parameters[i].ParameterType) is not null;
            arguments[i] = nulls && nullable
                ? null
                : Value(Nullable.GetUnderlyingType(parameters[i].ParameterType) ?? parameters[i].ParameterType, $"{type.Name}.{parameters[i].Name}", nulls, ref seed);
        }
        return constructor.Invoke(arguments);
    }

    private static object Value(Type type, string what, bool nulls, ref int seed)
    {
        seed++;
        if (type == typeof(string)) return $"{what}-{seed}-é✓😀";
        if (type == typeof(int)) return seed * 37 - 1000;
        if (type == typeof(long)) return seed * 1_000_003L - 5_000_000_000L;
        if (type == typeof(double)) return seed + 0.125;
        if (type == typeof(decimal)) return seed + 0.25m;
        if (type == typeof(bool)) return true;
        if (type == typeof(byte[])) return new byte[] { (byte)seed, 0, 255, 7 };
        if (type == typeof(TimeSpan)) return TimeSpan.FromTicks(12_345_678 + seed);
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromMinutes(90)).AddTicks(seed);
        if (type.IsEnum) return Enum.GetValues(type).Cast<object>().Last();
        if (type == typeof(IReadOnlyDictionary<string, double>))
            return new Dictionary<string, double> { [$"cpu-{seed}"] = seed + 0.5, ["gpu"] = 1, ["ward"] = double.NegativeInfinity };
        if (type == typeof(IReadOnlyDictionary<int, int>))
            return new Dictionary<int, int> { [seed] = 3, [-seed] = 4 };
        if (type == typeof(IReadOnlySet<string>)) return new HashSet<string> { $"a-{seed}", "b" };
        if (type == typeof(IReadOnlyList<string>)) return new List<string> { $"x-{seed}", "y", "" };
        // A correlated request's or answer's inner message: a protocol message, sampled the same way.
        if (type == typeof(object)) return Create(typeof(TaskInfo), nulls, ref seed);
        // A batch's messages: two different protocol messages, each sampled the same way.
        if (type == typeof(IReadOnlyList<object>))
            return new List<object> { Create(typeof(SubmitTask), nulls, ref seed), Create(typeof(TaskInfo), nulls, ref seed) };
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = type.GetGenericArguments()[0];
            var list = Array.CreateInstance(element, 2);
            list.SetValue(Value(element, what, nulls, ref seed), 0);
            list.SetValue(Value(element, what, nulls, ref seed), 1);
            return list;
        }
        if (type.Namespace == typeof(SubmitTask).Namespace && type.IsClass) return Create(type, nulls, ref seed);
        throw new InvalidOperationException($"no sample value for {what} of type {type}: teach SampleFactory this type");
    }
}
