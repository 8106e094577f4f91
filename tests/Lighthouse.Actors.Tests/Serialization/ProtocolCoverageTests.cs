using System.Reflection;
using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse.Actors.Tests.Serialization;

/// <summary>
/// Every public type of <c>Lighthouse.Protocol</c> is owned by the serializer and survives the wire.
/// A message added to the protocol without a wire encoding fails here, by name.
/// </summary>
[Collection(SerializerCollection.Name)]
public sealed class ProtocolCoverageTests(SerializerFixture wire)
{
    // Found independently of LighthouseSerialization.OwnedTypes, so a mistake there shows up here.
    private static readonly Type[] ProtocolTypes = typeof(SubmitTask).Assembly.GetTypes()
        .Where(t => t.IsPublic && t.Namespace == "Lighthouse.Protocol")
        .ToArray();

    // Enums travel inside messages, an interface is never sent, and a static class holds helpers.
    private static readonly string[] MessageTypes = ProtocolTypes
        .Where(t => !t.IsEnum && !t.IsInterface && !(t.IsAbstract && t.IsSealed))
        .Select(t => t.Name)
        .ToArray();

    public static TheoryData<string> MessageTypeNames => new(MessageTypes);

    private static Type MessageType(string name) => ProtocolTypes.Single(t => t.Name == name);

    [Fact]
    public void The_protocol_has_the_messages_this_suite_was_written_against()
    {
        // Guards the reflection itself: an empty or truncated list would make every theory vacuous.
        Assert.Contains(typeof(SubmitTask), LighthouseSerialization.OwnedTypes);
        Assert.Contains(typeof(TaskInfo), LighthouseSerialization.OwnedTypes);
        Assert.Contains(typeof(GetNodes), LighthouseSerialization.OwnedTypes);
        Assert.True(LighthouseSerialization.OwnedTypes.Count >= 30, $"only {LighthouseSerialization.OwnedTypes.Count} owned types");
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void Every_protocol_type_is_owned_by_the_serializer(string typeName)
    {
        Assert.Contains(MessageType(typeName), LighthouseSerialization.OwnedTypes);
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void Every_protocol_type_has_a_short_manifest_of_its_own(string typeName)
    {
        var sample = SampleFactory.Create(MessageType(typeName), nullsWherePossible: false);

        var manifest = wire.Serializer.Manifest(sample);

        Assert.InRange(manifest.Length, 1, 3);
        var others = ProtocolTypes.Where(t => t.Name != typeName && LighthouseSerialization.OwnedTypes.Contains(t))
            .Select(t => (t.Name, Manifest: wire.Serializer.Manifest(SampleFactory.Create(t, nullsWherePossible: false))))
            .Where(o => o.Manifest == manifest)
            .Select(o => o.Name);
        Assert.Empty(others);
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void Every_protocol_type_round_trips_with_every_field_set(string typeName)
    {
        wire.AssertRoundTrips(SampleFactory.Create(MessageType(typeName), nullsWherePossible: false));
    }

    [Theory]
    [MemberData(nameof(MessageTypeNames))]
    public void Every_protocol_type_round_trips_with_every_optional_field_null(string typeName)
    {
        wire.AssertRoundTrips(SampleFactory.Create(MessageType(typeName), nullsWherePossible: true));
    }

    [Fact]
    public void The_owned_types_are_exactly_the_protocol_types()
    {
        var expected = MessageTypes.Order(StringComparer.Ordinal);

        Assert.Equal(expected, LighthouseSerialization.OwnedTypes.Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_equality_used_by_these_tests_notices_a_change_in_any_kind_of_field()
    {
        // A round-trip test is only as good as its comparison.
        var submit = (SubmitTask)SampleFactory.Create(typeof(SubmitTask), nullsWherePossible: false);
        var info = (TaskInfo)SampleFactory.Create(typeof(TaskInfo), nullsWherePossible: false) with { Progress = 0.0 };

        Assert.Null(Difference(submit, submit with { Requirements = new Dictionary<string, double>(submit.Requirements!) }));
        Assert.NotNull(Difference(submit, submit with { Priority = submit.Priority + 1 }));
        Assert.NotNull(Difference(submit, submit with { Payload = submit.Payload + " " }));
        Assert.NotNull(Difference(submit, submit with { SubmissionId = null }));
        Assert.NotNull(Difference(submit, submit with { Requirements = submit.Requirements!.ToDictionary(p => p.Key, p => p.Value + 1) }));
        Assert.NotNull(Difference(submit, submit with { Immunities = submit.Immunities!.Skip(1).Append("other").ToHashSet() }));
        Assert.NotNull(Difference(info, info with { SubmittedAt = info.SubmittedAt.ToOffset(TimeSpan.Zero) }));
        Assert.NotNull(Difference(info, info with { Progress = -0.0 }));
        Assert.NotNull(Difference(new TaskList("u", [info]), new TaskList("u", [info with { State = TaskState.Queued }])));
    }

    private static string? Difference(object expected, object actual) => WireEquality.FirstDifference(expected, actual, "message");
}
