using System.Text.Json;
using Lighthouse.Host.Cli;
using Lighthouse.Host.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Tests.Client;

/// <summary>The client commands' formatting on its own, without a host.</summary>
public sealed class ClientOutputTests
{
    private static readonly DateTimeOffset Submitted = new(2025, 1, 31, 10, 30, 0, 125, TimeSpan.FromHours(1));

    private static TaskInfo Info(TaskState state, double progress = 0, string? result = null, string? error = null, string? node = null, string? pending = null) =>
        new("t-1", "render", "alice", 2, state, progress, result, error, node, 1, 3, Submitted,
            state == TaskState.Queued ? null : Submitted.AddSeconds(1), state.IsFinished() ? Submitted.AddSeconds(2) : null, pending, false, "s-1");

    [Fact]
    public void The_status_object_writes_utc_timestamps_the_result_as_json_and_nulls()
    {
        using var document = JsonDocument.Parse(TaskInfoJson.Format(Info(TaskState.Succeeded, 100, """{"frames": [1, 2]}""", node: "n1")));
        var status = document.RootElement;

        Assert.Equal(ClientCli.StatusKeys, status.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2025-01-31T09:30:00.125Z", status.GetProperty("submitted_at").GetString());
        Assert.Equal("2025-01-31T09:30:02.125Z", status.GetProperty("finished_at").GetString());
        Assert.Equal([1, 2], status.GetProperty("result").GetProperty("frames").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(JsonValueKind.Null, status.GetProperty("error").ValueKind);
        Assert.Equal(100, status.GetProperty("progress").GetDouble());
    }

    [Theory]
    [InlineData(TaskState.Queued, "queued")]
    [InlineData(TaskState.Running, "running")]
    [InlineData(TaskState.Succeeded, "succeeded")]
    [InlineData(TaskState.Failed, "failed")]
    [InlineData(TaskState.Cancelled, "cancelled")]
    public void States_are_written_in_lower_case(TaskState state, string name)
    {
        using var document = JsonDocument.Parse(TaskInfoJson.Format(Info(state)));
        Assert.Equal(name, document.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public void A_result_that_is_not_json_is_kept_as_a_string_rather_than_lost()
    {
        using var document = JsonDocument.Parse(TaskInfoJson.Format(Info(TaskState.Succeeded, result: "not json")));
        Assert.Equal("not json", document.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public void Redirected_progress_is_one_plain_line_per_report()
    {
        using var output = new StringWriter();
        var display = new ProgressDisplay(output, interactive: false);

        display.Report(Info(TaskState.Queued, pending: "0/1 nodes fit: 1 lack \"gpu\""));
        display.Report(Info(TaskState.Running, 40, node: "n1"));
        display.Report(Info(TaskState.Failed, 40, error: "out of memory", node: "n1"));
        display.Finish();

        Assert.Equal(
            ["queued (0/1 nodes fit: 1 lack \"gpu\")", "running on n1: 40%", "failed: out of memory", ""],
            output.ToString().Split(Environment.NewLine));
    }

    [Fact]
    public void Terminal_progress_is_a_bar_redrawn_in_place_and_ended_with_a_newline()
    {
        using var output = new StringWriter();
        var display = new ProgressDisplay(output, interactive: true);

        display.Report(Info(TaskState.Running, 50, node: "node-with-a-long-name"));
        display.Report(Info(TaskState.Succeeded, 100, node: "n1"));
        display.Finish();

        var frames = output.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"[{new string('#', 15)}{new string('-', 15)}]  50% running on node-with-a-long-name", frames[0]);
        Assert.StartsWith($"[{new string('#', 30)}] 100% succeeded", frames[1]);
        // The shorter second frame is padded over the first, then the line is ended.
        Assert.Equal(frames[0].Length + Environment.NewLine.Length, frames[1].Length);
        Assert.EndsWith(Environment.NewLine, frames[1]);
    }

    [Fact]
    public void Text_status_leaves_out_what_is_unknown()
    {
        var text = TaskInfoText.Format(Info(TaskState.Queued, pending: "no worker handles \"render\""));

        Assert.Contains("state:     queued", text);
        Assert.Contains("waiting:   no worker handles \"render\"", text);
        Assert.Contains("submitted: 2025-01-31T09:30:00.125Z", text);
        Assert.DoesNotContain("started:", text);
        Assert.DoesNotContain("result:", text);
    }
}
