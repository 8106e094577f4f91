using System.Text.Json;
using Lighthouse.Host.Cli;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Client;

/// <summary><c>lighthouse submit</c> in-process against an in-test host over real Akka.Remote on loopback.</summary>
public sealed class SubmitCommandTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ClientCli _cli = new(fixture);

    [Fact]
    public void Submit_prints_the_task_id_as_text()
    {
        var user = ClientCli.NewUser();

        var run = _cli.Run("submit", "echo", "--user", user);

        Assert.Equal((0, ""), (run.ExitCode, run.Stderr));
        Assert.StartsWith("submitted task ", run.Stdout);
        var id = run.Stdout["submitted task ".Length..].Trim();
        Assert.Equal(user, _cli.Status(id).GetProperty("user").GetString());
    }

    [Fact]
    public void Submit_json_prints_an_object_with_only_the_id()
    {
        var run = _cli.Run("submit", "echo", "--json", "--user", ClientCli.NewUser());

        Assert.Equal((0, ""), (run.ExitCode, run.Stderr));
        using var document = JsonDocument.Parse(run.Stdout);
        var property = Assert.Single(document.RootElement.EnumerateObject());
        Assert.Equal("id", property.Name);
        Assert.False(string.IsNullOrEmpty(property.Value.GetString()));
    }

    [Fact]
    public void Every_submit_option_reaches_the_scheduler()
    {
        var user = ClientCli.NewUser();

        // "unhandled" keeps the task queued, so its status still shows what was asked.
        var id = _cli.Submit("unhandled", "--user", user, "--priority", "7", "--payload", """{"k": [1, 2]}""",
            "--require", "cpu=2, gpu=0.5", "--immune", "spiders", "--aversion", "g1,g2", "--max-attempts", "5");

        var status = _cli.Status(id);
        Assert.Equal(("unhandled", user, 7, "queued"),
            (status.GetProperty("name").GetString(), status.GetProperty("user").GetString(), status.GetProperty("priority").GetInt32(), status.GetProperty("state").GetString()));
        var text = _cli.Run("status", id);
        Assert.Contains("attempts:  0 of 5", text.Stdout);
        Assert.Equal(1, _cli.QueuedOf(user));
    }

    [Fact]
    public void The_payload_is_read_from_a_file_or_stdin_and_comes_back_as_the_echo_result()
    {
        using var file = new TempFile("""{"from": "file", "text": "Zürich ✓"}""");

        var fromFile = _cli.Run("submit", "echo", "--payload", "@" + file.Path, "--wait", "--json", "--user", ClientCli.NewUser());
        var fromStdin = _cli.RunWithInput("[1, 2, 3]", "submit", "echo", "--payload", "@-", "--wait", "--json", "--user", ClientCli.NewUser());

        Assert.Equal(0, fromFile.ExitCode);
        using var fileStatus = JsonDocument.Parse(fromFile.Stdout);
        Assert.Equal("Zürich ✓", fileStatus.RootElement.GetProperty("result").GetProperty("text").GetString());
        Assert.Equal(0, fromStdin.ExitCode);
        using var stdinStatus = JsonDocument.Parse(fromStdin.Stdout);
        Assert.Equal([1, 2, 3], stdinStatus.RootElement.GetProperty("result").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Submit_wait_json_prints_only_the_final_status_object_with_the_result_as_json()
    {
        var user = ClientCli.NewUser();

        var run = _cli.Run("submit", "echo", "--payload", """{"n": 42}""", "--user", user, "--wait", "--json");

        Assert.Equal((0, ""), (run.ExitCode, run.Stderr));
        using var document = JsonDocument.Parse(run.Stdout);
        var status = document.RootElement;
        Assert.Equal(ClientCli.StatusKeys, status.EnumerateObject().Select(p => p.Name));
        Assert.Equal("succeeded", status.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Object, status.GetProperty("result").ValueKind);
        Assert.Equal(42, status.GetProperty("result").GetProperty("n").GetInt32());
        Assert.Equal(user, status.GetProperty("user").GetString());
        Assert.Equal("test-worker", status.GetProperty("node").GetString());
    }

    [Fact]
    public void Submit_wait_redirected_prints_plain_progress_lines_then_the_status()
    {
        var run = _cli.Run("submit", "echo", "--payload", "[7]", "--wait", "--user", ClientCli.NewUser());

        Assert.Equal((0, ""), (run.ExitCode, run.Stderr));
        var lines = run.Stdout.Split(Environment.NewLine);
        Assert.StartsWith("submitted task ", lines[0]);
        Assert.Contains("succeeded", lines);
        Assert.DoesNotContain('\r', run.Stdout);
        Assert.Contains("state:     succeeded", run.Stdout);
        Assert.Contains("result:    [7]", run.Stdout);
    }

    [Fact]
    public void Submit_wait_of_a_failing_task_exits_1_with_its_error_on_one_stderr_line()
    {
        var run = _cli.Run("submit", "fail", "--payload", "\"boom\"", "--wait", "--user", ClientCli.NewUser());

        Assert.Equal(ClientExitCodes.OperationFailed, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches("^lighthouse submit: task [^ ]+ failed: failed on purpose: \"boom\"$", line);
        Assert.Contains("state:     failed", run.Stdout);
    }

    [Fact]
    public void Without_user_the_task_runs_as_USER_or_anonymous()
    {
        var id = _cli.Submit("echo");

        Assert.Equal(SubmitInput.DefaultUser(), _cli.Status(id).GetProperty("user").GetString());
        Assert.Equal(Environment.GetEnvironmentVariable("USER") is { Length: > 0 } user ? user : "anonymous", SubmitInput.DefaultUser());
    }

    [Fact]
    public void A_submission_the_scheduler_rejects_exits_1_with_its_reason()
    {
        var user = ClientCli.NewUser();

        var run = _cli.Run("submit", "echo", "--require", "slots=1", "--user", user);

        Assert.Equal((ClientExitCodes.OperationFailed, ""), (run.ExitCode, run.Stdout));
        var line = Assert.Single(run.Stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lighthouse submit: submission of task \"echo\" was rejected: requirement \"slots\" is reserved", line);
        Assert.Equal(0, _cli.QueuedOf(user));
    }

    [Fact]
    public void Submit_with_retries_runs_a_failing_task_again_and_shows_each_attempts_error()
    {
        var run = _cli.Run("submit", "fail", "--payload", "\"again\"", "--retries", "2", "--retry-backoff", "50ms", "--run-timeout", "30s",
            "--wait", "--json", "--user", ClientCli.NewUser());

        Assert.Equal(ClientExitCodes.OperationFailed, run.ExitCode);
        using var status = System.Text.Json.JsonDocument.Parse(run.Stdout);
        var task = status.RootElement;
        Assert.Equal(3, task.GetProperty("attempts").GetInt32());
        Assert.Equal(2, task.GetProperty("retries").GetInt32());
        Assert.Equal(2, task.GetProperty("attempt_errors").GetArrayLength());
        Assert.Equal(50, task.GetProperty("retry").GetProperty("backoff_ms").GetDouble());
        Assert.Equal(30_000, task.GetProperty("timeout_ms").GetDouble());
    }

    [Fact]
    public void Submit_with_a_delay_shows_its_time_and_a_policy_over_the_schedulers_limit_is_refused_naming_the_key()
    {
        var user = ClientCli.NewUser();
        var id = _cli.Submit("echo", "--delay", "1h", "--user", user);
        var status = _cli.Run("status", id);
        var refused = _cli.Run("submit", "echo", "--retries", "101", "--user", user);

        Assert.Matches("waiting:   not before \\d\\d:\\d\\d:\\d\\dZ", status.Stdout);
        Assert.Contains("not before:", status.Stdout);
        Assert.Equal(ClientExitCodes.OperationFailed, refused.ExitCode);
        Assert.Contains("retry attempts 101 is invalid: it must be between 0 and 100 (lighthouse.scheduler.max-retry-attempts)", refused.Stderr);
        Assert.Equal("cancelled", CancelAndRead(id));
    }

    [Fact]
    public void Submit_after_a_task_waits_for_it_shows_it_and_an_unknown_parent_is_refused_naming_the_field()
    {
        var user = ClientCli.NewUser();
        var parent = _cli.Submit("echo", "--delay", "1h", "--user", user);
        var child = _cli.Submit("echo", "--after", parent, "--user", user);
        var status = _cli.Run("status", child);
        var refused = _cli.Run("submit", "echo", "--after", "task-999999", "--user", user);

        Assert.Contains($"waiting:   waiting for {parent}", status.Stdout);
        Assert.Contains($"after:     {parent}", status.Stdout);
        Assert.Equal(ClientExitCodes.OperationFailed, refused.ExitCode);
        Assert.Contains("after: unknown task id task-999999", refused.Stderr);
        Assert.Equal("cancelled", CancelAndRead(parent));
        Assert.Equal($"dependency {parent} was cancelled", _cli.Status(child).GetProperty("error").GetString());
    }

    private string CancelAndRead(string id)
    {
        Assert.Equal(0, _cli.Run("cancel", id).ExitCode);
        return _cli.Status(id).GetProperty("state").GetString()!;
    }
}
