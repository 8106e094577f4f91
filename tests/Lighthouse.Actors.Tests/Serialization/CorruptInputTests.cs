using System.Runtime.Serialization;
using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Serialization;

/// <summary>
/// Bytes that are not a message written by this serializer end in a SerializationException that
/// names the manifest; never an IndexOutOfRange, an overflow, or a silently wrong message.
/// </summary>
[Collection(SerializerCollection.Name)]
public sealed class CorruptInputTests(SerializerFixture wire)
{
    private static readonly object[] Messages =
    [
        new SubmitTask("render", """{"a": "é✓"}""", "alice", -7, new Dictionary<string, double> { ["cpu"] = 2 },
            new HashSet<string> { "x" }, null, 3, "sub-1"),
        new StartTask("task-1", "render", "{}", "alice", 5, 1),
        new ReportProgress("task-1", 50),
        new CorrelatedRequest(123_456_789, new GetTaskStatus("task-1")),
        RoundTripTests.Info(TaskState.Running),
        new TaskList("alice", [RoundTripTests.Info(TaskState.Succeeded)]),
        new RegisterWorker("w", new Dictionary<string, double> { ["cpu"] = 4 }, ["echo"], new PriorityRange(0, 9), 2),
        new NodesView([new NodeView("w", WorkerNodeState.Reachable, new Dictionary<string, double>(), new Dictionary<string, double>(), 1, 1, [], [], PriorityRange.All, DateTimeOffset.UnixEpoch)]),
    ];

    public static TheoryData<int> MessageIndexes => new(Enumerable.Range(0, Messages.Length));

    [Theory]
    [MemberData(nameof(MessageIndexes))]
    public void Every_truncation_of_a_message_is_refused_naming_its_manifest(int index)
    {
        var message = Messages[index];
        var bytes = wire.Serializer.ToBinary(message);
        var manifest = wire.Serializer.Manifest(message);

        for (var length = 0; length < bytes.Length; length++)
        {
            var error = Assert.Throws<SerializationException>(() => wire.Serializer.FromBinary(bytes[..length], manifest));
            Assert.Contains($"\"{manifest}\"", error.Message);
            Assert.Contains(message.GetType().Name, error.Message);
        }
    }

    [Theory]
    [MemberData(nameof(MessageIndexes))]
    public void Trailing_bytes_are_refused(int index)
    {
        var message = Messages[index];
        var bytes = wire.Serializer.ToBinary(message);

        var error = Assert.Throws<SerializationException>(() => wire.Serializer.FromBinary([.. bytes, 0], wire.Serializer.Manifest(message)));

        Assert.Contains("trailing", error.Message);
    }

    [Theory]
    [MemberData(nameof(MessageIndexes))]
    public void Random_corruption_is_refused_or_decodes_to_the_same_type_never_anything_else(int index)
    {
        var message = Messages[index];
        var bytes = wire.Serializer.ToBinary(message);
        var manifest = wire.Serializer.Manifest(message);
        var random = new Random(4053 + index);

        for (var trial = 0; trial < 2_000; trial++)
        {
            var corrupt = (byte[])bytes.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--) corrupt[random.Next(corrupt.Length)] = (byte)random.Next(256);
            try
            {
                Assert.IsType(message.GetType(), wire.Serializer.FromBinary(corrupt, manifest));
            }
            catch (SerializationException error)
            {
                Assert.Contains($"\"{manifest}\"", error.Message);
            }
        }
    }

    [Fact]
    public void Each_kind_of_corruption_is_described()
    {
        // GetTaskStatus("ab") is [3, 'a', 'b']; ReportProgress adds 8 bytes of double.
        AssertRefused("GS", [0x7F, 0x61], "text of 126 byte(s) announced at offset 1 but only 1 byte(s) left");
        AssertRefused("GS", [3, 0xC3, 0x28], "invalid UTF-8");
        AssertRefused("GS", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "varint longer than 64 bits");
        AssertRefused("SA", [2, 0x61, 0, 2], "expected a boolean (0 or 1)");
        AssertRefused("AF", [2, 0x61, 12], "6 is not a TaskState");
        AssertRefused("SR", [0, 2, 0x72, 6], "3 is not a RejectionCode");
        AssertRefused("AF", [2, 0x61, 0xFE, 0xFF, 0xFF, 0xFF, 0x7F], "out of the range of a 32-bit integer");
        AssertRefused("LT", [2, 0x61, 0], "trailing");
        // SubmitTask with a requirement count far beyond the bytes that follow.
        AssertRefused("ST", [2, 0x74, 3, 0x7B, 0x7D, 2, 0x75, 0, 0xFF, 0xFF, 0xFF, 0x0F], "announced");
        // SubmitTask whose requirements name "cpu" twice.
        AssertRefused("ST", [2, 0x74, 3, 0x7B, 0x7D, 2, 0x75, 0, 3, .. Requirement("cpu"), .. Requirement("cpu"), 0, 0, 0, 0], "key \"cpu\" appears twice");
        AssertRefused("TI", [.. TaskInfoUntilSubmittedAt(), .. BitConverter.GetBytes(DateTime.MaxValue.Ticks), 0x01], "is not a valid date and time");
    }

    [Fact]
    public void An_unknown_manifest_is_refused_by_name()
    {
        var error = Assert.Throws<SerializationException>(() => wire.Serializer.FromBinary([1, 2, 3], "ZZ"));

        Assert.Contains("\"ZZ\"", error.Message);
    }

    [Theory]
    [InlineData("WU")]
    [InlineData("WA")]
    [InlineData("WL")]
    public void Reachability_overrides_are_not_on_the_wire_so_no_peer_can_evict_a_node(string manifest)
    {
        // Once WorkerUnreachable / WorkerReachable / WorkerLost: now in-process only, as cluster membership decides.
        var error = Assert.Throws<SerializationException>(() => wire.Serializer.FromBinary([5, 0x77, 0x31, 0x2D, 0x61, 0x62], manifest));

        Assert.Contains($"\"{manifest}\"", error.Message);
    }

    [Fact]
    public void A_type_outside_the_protocol_is_refused_by_name()
    {
        var error = Assert.Throws<SerializationException>(() => wire.Serializer.ToBinary(new Uri("http://127.0.0.1/")));

        Assert.Contains("System.Uri", error.Message);
    }

    [Fact]
    public void Text_that_is_not_valid_unicode_is_refused_rather_than_altered()
    {
        // A lone surrogate has no UTF-8 form: replacing it would deliver a different payload.
        foreach (var text in new[] { "\uD800", new string('x', 100) + "\uDC00" })
        {
            var error = Assert.Throws<SerializationException>(() => wire.Serializer.ToBinary(new SubmitTask("t", text, "u")));

            Assert.Contains("SubmitTask", error.Message);
            Assert.Contains("lone surrogate", error.Message);
        }
        wire.AssertRoundTrips(new SubmitTask("t", "after a refused message", "u"));
    }

    private void AssertRefused(string manifest, byte[] bytes, string detail)
    {
        var error = Assert.Throws<SerializationException>(() => wire.Serializer.FromBinary(bytes, manifest));
        Assert.Contains($"\"{manifest}\"", error.Message);
        Assert.Contains(detail, error.Message);
    }

    private static byte[] Requirement(string key) => [(byte)(key.Length + 1), .. System.Text.Encoding.UTF8.GetBytes(key), .. BitConverter.GetBytes(1.0)];

    // TaskInfo("a", "b", "c", 0, Queued, 0, null, null, null, 0, 0, …) up to its submission date.
    private static byte[] TaskInfoUntilSubmittedAt() =>
        [2, 0x61, 2, 0x62, 2, 0x63, 0, 0, .. BitConverter.GetBytes(0.0), 0, 0, 0, 0, 0];
}
