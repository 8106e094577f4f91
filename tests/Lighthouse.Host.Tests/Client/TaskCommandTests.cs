using System.Globalization;
using System.Text.Json;
using Lighthouse.Host.Cli;

namespace Lighthouse.Host.Tests.Client;

/// <summary><c>lighthouse status</c>, <c>wait</c> and <c>cancel</c> in-process against an in-test host.</summary>
public sealed class TaskCommandTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ClientCli _cli = new(fixture);

    [Fact]
    public void Status_json_has_exactly_the_contract_keys_with_their_types()
    {
        var id = _cli.Submit("echo", "--payload", """{"a": "b"}""", "--priority", "-3", "--user", ClientCli.NewUser());
        var status = _cli.AwaitState(id, "succeeded");

        Assert.Equal(ClientCli.StatusKeys, status.EnumerateObject().Select(p => p.Name));
        Assert.Equal((id, "echo", -3), (status.GetProperty("id").GetString(), status.GetProperty("name").GetString(), status.GetProperty("priority").GetInt32()));
        Assert.Equal("b", status.GetProperty("result").GetProperty("a").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("pending_reason").ValueKind);
        Assert.Equal(1, status.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Number, status.GetProperty("progress").ValueKind);
        var submitted = Utc(status, "submitted_at");
        var started = Utc(status, "started_at");
        var finished = Utc(status, "finished_at");
        Assert.True(submitted <= started && started <= finished, $"{submitted:O} {started:O} {finished:O}");
    }

    [Fact]
    public void Status_of_a_queued_task_has_nulls_and_its_pending_reason()
    {
        var id = _cli.Submit("unhandled", "--user", ClientCli.NewUser());

        var status = _cli.Status(id);

        Assert.Equal("queued", status.GetProperty("state").GetString());
        foreach (var key in new[] { "result", "error", "node", "started_at", "finished_at" })
            Assert.Equal(JsonValueKind.Null, status.GetProperty(key).ValueKind);
        Assert.Contains("\"unhandled\"", status.GetProperty("pending_reason").GetString());
    }

    [Fact]
    public void Status_as_text_is_one_labelled_line_per_fact()
    {
        var user = ClientCli.NewUser();
        var id = _cli.Submit("echo", "--payload", "[1]", "--user", user);
        _cli.AwaitState(id, "succeeded");

        var run = _cli.Run("status", id);

        Assert.Equal((0, ""), (run.ExitCode, run.Stderr));
        Assert.Contains($"task:      {id}{Environment.NewLine}", run.Stdout);
        Assert.Contains($"user:      {user}{Environment.NewLine}", run.Stdout);
        Assert.Contains($"state:     succeeded{Environment.NewLine}", run.Stdout);
        Assert.Contains($"node:      test-worker{Environment.NewLine}", run.Stdout);
        Assert.Contains($"result:    [1]{Environment.NewLine}", run.Stdout);
        Assert.DoesNotContain("error:", run.Stdout);
    }

    [Fact]
    public void Wait_prints_the_final_status_and_exits_0_for_a_succeeded_task()
    {
        var id = _cli.Submit("echo", "--user", ClientCli.NewUser());

        var text = _cli.Run("wait", id);
        var json = _cli.Run("wait", id, "--json");

        Assert.Equal((0, ""), (text.ExitCode, text.Stderr));
        Assert.Contains("state:     succeeded", text.Stdout);
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(ClientCli.StatusKeys, document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("succeeded", document.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public void Cancel_of_a_queued_task_cancels_it_and_wait_then_exits_3()
    {
        var id = _cli.Submit("unhandled", "--user", ClientCli.NewUser());

        var cancel = _cli.Run("cancel", id);
        var again = _cli.Run("cancel", id, "--json");
        var wait = _cli.Run("wait", id);

        Assert.Equal((0, $"cancelled task {id}{Environment.NewLine}", ""), (cancel.ExitCode, cancel.Stdout, cancel.Stderr));
        Assert.Equal(0, again.ExitCode);
        using var document = JsonDocument.Parse(again.Stdout);
        Assert.Equal(["id", "outcome", "node", "state"], document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("already_finished", "cancelled"), (document.RootElement.GetProperty("outcome").GetString(), document.RootElement.GetProperty("state").GetString()));
        Assert.Equal(ClientExitCodes.TaskCancelled, wait.ExitCode);
        Assert.Equal($"lighthouse wait: task {id} was cancelled{Environment.NewLine}", wait.Stderr);
        Assert.Contains("state:     cancelled", wait.Stdout);
    }

    [Fact]
    public void Cancel_of_a_running_task_is_pending_on_its_node_and_the_task_ends_cancelled()
    {
        var id = _cli.Submit("hold", "--user", ClientCli.NewUser());
        _cli.AwaitState(id, "running");

        var cancel = _cli.Run("cancel", id, "--json");

        Assert.Equal(0, cancel.ExitCode);
        using var document = JsonDocument.Parse(cancel.Stdout);
        Assert.Equal(("pending", "test-worker"), (document.RootElement.GetProperty("outcome").GetString(), document.RootElement.GetProperty("node").GetString()));
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("state").ValueKind);
        Assert.Equal(ClientExitCodes.TaskCancelled, _cli.Run("wait", id, "--json").ExitCode);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("wait")]
    [InlineData("cancel")]
    public void An_unknown_task_id_exits_1_with_one_line_naming_it(string command)
    {
        var run = _cli.Run(command, "no-such-task", "--json");

        Assert.Equal((ClientExitCodes.OperationFailed, ""), (run.ExitCode, run.Stdout));
        Assert.Equal($"lighthouse {command}: unknown task id no-such-task{Environment.NewLine}", run.Stderr);
    }

    private static DateTimeOffset Utc(JsonElement status, string key)
    {
        var text = status.GetProperty(key).GetString()!;
        Assert.EndsWith("Z", text);
        return DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}
