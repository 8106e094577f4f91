using System.Text.Json;
using Lighthouse.Tests.Shared;
using Lighthouse.Worker.Processes;

namespace Lighthouse.Worker.Tests.Processes;

/// <summary>
/// Process handlers running real programs: small /bin/sh scripts in a temporary directory (and the Python example).
/// Each test bounds its wait; no test leaves a process behind (the group tests check it through /proc).
/// </summary>
public sealed class ProcessHandlerTests : IDisposable
{
    private readonly Scripts _scripts = new();

    public void Dispose() => _scripts.Dispose();

    private static ProcessHandler Handler(string[] command, Action<ProcessHandlerOptions>? configure = null)
    {
        var options = new ProcessHandlerOptions(command) { StopGrace = TimeSpan.FromMilliseconds(300) };
        configure?.Invoke(options);
        return new ProcessHandler("render", options);
    }

    private static Task<string> Run(ProcessHandler handler, string payload, CancellationToken token = default, RecordingProgress? progress = null) =>
        handler.RunAsync(Contexts.For("render", payload, token, progress)).Within();

    private static async Task<string> Failure(ProcessHandler handler, string payload = "{}") =>
        (await Assert.ThrowsAsync<TaskFailedException>(() => Run(handler, payload))).Message;

    [Fact]
    public async Task A_script_returns_its_json_result()
    {
        var handler = Handler(_scripts.Shell("cat > /dev/null; echo '{\"ok\": true, \"n\": 3}'"));
        Assert.Equal("{\"ok\": true, \"n\": 3}", await Run(handler, "{}"));
    }

    [Fact]
    public async Task The_python_example_worker_renders_its_payload()
    {
        var example = Path.Combine(AppContext.BaseDirectory, "examples", "render.py");
        var handler = Handler(["python3", example]);
        var progress = new RecordingProgress();
        var result = await Run(handler, "{\"text\": \"hello\", \"times\": 2}", progress: progress);
        Assert.Equal("hellohello", JsonDocument.Parse(result).RootElement.GetProperty("rendered").GetString());
        Assert.Contains(100.0, progress.Values);
    }

    [Fact]
    public async Task A_payload_with_shell_metacharacters_stays_data_on_standard_input()
    {
        var marker = _scripts.PathOf("pwned");
        var payload = JsonSerializer.Serialize(new { s = $"$(touch {marker}); `touch {marker}` | ; & > {marker} '\" \\ *" });
        var handler = Handler(_scripts.Shell("cat"));
        Assert.Equal(payload, await Run(handler, payload));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Progress_lines_on_standard_error_arrive_as_progress_and_other_lines_do_not()
    {
        var progress = new RecordingProgress();
        var handler = Handler(_scripts.Shell("echo 'progress 10' >&2; echo 'progress 55.5' >&2; echo 'progressing nicely' >&2; echo 'progress 250' >&2; echo null"));
        Assert.Equal("null", await Run(handler, "{}", progress: progress));
        Assert.Equal([10.0, 55.5], progress.Values);
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_its_code_and_the_last_standard_error_lines()
    {
        var handler = Handler(_scripts.Shell("echo 'progress 5' >&2; echo 'loading model' >&2; echo 'out of memory' >&2; exit 3"));
        Assert.Equal("exit code 3: loading model\nout of memory", await Failure(handler));
    }

    [Fact]
    public async Task Only_the_last_16_KB_of_standard_error_are_kept()
    {
        var handler = Handler(_scripts.Shell("i=0; while [ $i -lt 2000 ]; do echo \"line $i of the log, padded to be long enough\" >&2; i=$((i+1)); done; exit 1"));
        var error = await Failure(handler);
        Assert.EndsWith("line 1999 of the log, padded to be long enough", error);
        Assert.DoesNotContain("line 0 of", error);
        Assert.InRange(error.Length, 15 * 1024, 17 * 1024);
    }

    [Fact]
    public async Task Death_by_a_signal_says_which_and_is_not_mistaken_for_an_exit_code()
    {
        Assert.Equal("killed by signal 9 (SIGKILL)", await Failure(Handler(_scripts.Shell("kill -KILL $$"))));
        Assert.Equal("killed by signal 11 (SIGSEGV)", await Failure(Handler(_scripts.Shell("kill -SEGV $$"))));
        Assert.Equal("exit code 137", await Failure(Handler(_scripts.Shell("exit 137"))));
    }

    [Fact]
    public async Task Output_that_is_not_json_fails_naming_the_problem()
    {
        var error = await Failure(Handler(_scripts.Shell("echo 'rendered 3 frames'")));
        Assert.StartsWith("exit code 0, but standard output is not JSON (", error);
        Assert.EndsWith("rendered 3 frames\n", error);
        Assert.StartsWith("exit code 0, but nothing on standard output", await Failure(Handler(_scripts.Shell("true"))));
    }

    [Fact]
    public async Task Output_over_the_result_cap_fails_and_the_writer_is_stopped()
    {
        var handler = Handler(_scripts.Shell("echo $$ > leader.pid; yes '\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"'"), o =>
        {
            o.WorkingDirectory = _scripts.Directory;
            o.MaxResultBytes = 10_000;
        });
        var error = await Failure(handler);
        Assert.StartsWith("the result on standard output is over 10000 bytes, the result cap (lighthouse.scheduler.max-payload-bytes); its process group was sent SIGTERM", error);
        await Scripts.Gone(_scripts.Pid("leader.pid"));
    }

    [Fact]
    public async Task A_program_that_cannot_start_fails_naming_it()
    {
        var error = await Failure(Handler(["/nonexistent/render"]));
        Assert.StartsWith("cannot start \"/nonexistent/render\": No such file or directory", error);
        Assert.Equal("working directory \"/nonexistent/dir\" does not exist on this worker",
            await Failure(Handler(["true"], o => o.WorkingDirectory = "/nonexistent/dir")));
    }

    /// <summary>A script that starts a grandchild ignoring SIGTERM (so only SIGKILL ends it), notes both pids, then waits.</summary>
    private string[] FamilyScript(string then = "wait") => _scripts.Shell(
        $"echo $$ > leader.pid; (trap '' TERM; exec sleep 300) & echo $! > grandchild.pid; {then}");

    private async Task<(int Leader, int Grandchild)> Family()
    {
        await Eventually.Holds(() => Task.FromResult(File.Exists(_scripts.PathOf("grandchild.pid")) && File.ReadAllText(_scripts.PathOf("grandchild.pid")).EndsWith('\n')), "the script wrote its pids");
        return (_scripts.Pid("leader.pid"), _scripts.Pid("grandchild.pid"));
    }


    [Fact]
    public async Task Cancel_kills_the_whole_process_group_with_sigkill_after_the_grace()
    {
        using var cancel = new CancellationTokenSource();
        var handler = Handler(FamilyScript(), o => o.WorkingDirectory = _scripts.Directory);
        var running = Run(handler, "{}", cancel.Token);
        var (leader, grandchild) = await Family();
        Assert.Equal([leader, grandchild], Scripts.Members(leader).Order());

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await Scripts.Gone(leader, grandchild);
        Assert.Equal(0, handler.Running);
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_process_group_and_fails_saying_so()
    {
        var handler = Handler(FamilyScript(), o =>
        {
            o.WorkingDirectory = _scripts.Directory;
            o.Timeout = TimeSpan.FromMilliseconds(500);
        });
        var error = await Failure(handler);
        Assert.Equal("timed out after 0.5 s, the timeout of \"render\"; its process group was sent SIGTERM", error);
        await Scripts.Gone(_scripts.Pid("leader.pid"), _scripts.Pid("grandchild.pid"));
    }

    [Fact]
    public async Task A_program_ignoring_sigterm_is_killed_after_the_grace()
    {
        var handler = Handler(_scripts.Shell("trap '' TERM; echo $$ > leader.pid; while true; do sleep 0.05; done"), o =>
        {
            o.WorkingDirectory = _scripts.Directory;
            o.Timeout = TimeSpan.FromMilliseconds(300);
        });
        Assert.Equal("timed out after 0.3 s, the timeout of \"render\"; its process group was sent SIGTERM, then SIGKILL after 0.3 s", await Failure(handler));
        await Scripts.Gone(_scripts.Pid("leader.pid"));
    }

    [Fact]
    public async Task A_program_that_ends_leaves_nothing_of_its_group_behind()
    {
        var handler = Handler(FamilyScript(then: "echo '{}'"), o => o.WorkingDirectory = _scripts.Directory);
        Assert.Equal("{}", await Run(handler, "{}"));
        await Scripts.Gone(_scripts.Pid("leader.pid"), _scripts.Pid("grandchild.pid"));
    }

    [Fact]
    public async Task Stopping_all_stops_the_running_groups()
    {
        var handler = Handler(FamilyScript(), o => o.WorkingDirectory = _scripts.Directory);
        var running = Run(handler, "{}");
        var (leader, grandchild) = await Family();

        await handler.StopAllAsync().Within();
        var error = (await Assert.ThrowsAsync<TaskFailedException>(() => running)).Message;
        Assert.StartsWith("the worker is stopping; its process group was sent SIGTERM", error);
        await Scripts.Gone(leader, grandchild);
    }

    [Fact]
    public async Task Nice_sets_the_priority_of_the_task_processes_from_their_start()
    {
        // Field 19 of /proc/PID/stat is the nice value: of the script, and of a process it starts.
        var handler = Handler(_scripts.Shell("sh -c 'cut -d\" \" -f19 /proc/$$/stat' > child.nice; echo \"[$(cut -d' ' -f19 /proc/$$/stat), $(cat child.nice)]\""), o =>
        {
            o.WorkingDirectory = _scripts.Directory;
            o.Nice = 7;
        });
        Assert.Equal("[7, 7]", await Run(handler, "{}"));
    }

    [Fact]
    public async Task The_task_environment_variables_arrive_and_the_workers_own_lighthouse_variables_do_not()
    {
        // A variable of the worker's own namespace that nothing reads (a real one, such as LIGHTHOUSE_TLS_KEY, would
        // change what other tests of this process resolve).
        const string own = "LIGHTHOUSE_TEST_WORKER_OWN";
        Environment.SetEnvironmentVariable(own, "worker-only");
        try
        {
            var handler = Handler(_scripts.Shell(
                $"printf '[\"%s\", \"%s\", \"%s\", \"%s\", \"%s\", \"%s\"]' \"$LIGHTHOUSE_TASK_ID\" \"$LIGHTHOUSE_TASK_NAME\" \"$LIGHTHOUSE_USER\" \"$LIGHTHOUSE_ATTEMPT\" \"$MODE\" \"${own}\""),
                o => o.Environment["MODE"] = "fast");
            Assert.Equal("[\"task-1\", \"render\", \"alice\", \"1\", \"fast\", \"\"]", await Run(handler, "{}"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(own, null);
        }
    }

    [Theory]
    [InlineData(new string[0], "command is empty")]
    [InlineData(new[] { "" }, "command is empty")]
    public void An_empty_command_is_refused(string[] command, string problem)
    {
        var refused = Assert.Throws<ArgumentException>(() => WorkerHub.Create(o => o.Exec("render", command)));
        Assert.Contains($"task name \"render\": {problem}", refused.Message);
    }

    [Fact]
    public void Bad_options_are_refused_naming_the_setting()
    {
        string Refusal(Action<ProcessHandlerOptions> configure) =>
            Assert.Throws<ArgumentException>(() => WorkerHub.Create(o => o.Exec("render", ["true"], configure))).Message;

        Assert.Contains("nice 20 is outside -20..19", Refusal(o => o.Nice = 20));
        Assert.Contains("timeout 0 ms is not positive", Refusal(o => o.Timeout = TimeSpan.Zero));
        Assert.Contains("environment variable \"LIGHTHOUSE_USER\" is reserved", Refusal(o => o.Environment["LIGHTHOUSE_USER"] = "root"));
        Assert.Contains("environment variable \"A=B\" is not a variable name", Refusal(o => o.Environment["A=B"] = "x"));
        Assert.Contains("its stop grace 10000 ms is not below the cancel grace 10000 ms",
            Assert.Throws<ArgumentException>(() => WorkerHub.Create(o => o.Exec("render", ["true"], p => p.StopGrace = TimeSpan.FromSeconds(10)))).Message);
        Assert.Contains("task name \"echo\" already has a handler",
            Assert.Throws<ArgumentException>(() => WorkerHub.Create(o => o.AddBuiltInHandlers().Exec("echo", ["true"]))).Message);
    }
}
