using Lighthouse.Worker.Cli;

namespace Lighthouse.Worker.Tests.Cli;

/// <summary><c>--exec</c>, <c>--nice</c> and <c>lighthouse.worker.exec</c>: what they read and what they refuse.</summary>
public sealed class WorkerExecOptionsTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"lighthouse-worker-exec-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(_path);

    private string Write(string hocon)
    {
        File.WriteAllText(_path, hocon);
        return _path;
    }

    private static string Refusal(params string[] args) => Assert.Throws<WorkerUsageException>(() => WorkerCommandLine.Parse(args)).Message;

    [Fact]
    public void Exec_options_give_process_handlers_beside_the_built_in_ones()
    {
        var launch = WorkerCommandLine.Parse(["--exec", "render=python3 '/srv/my render.py' --fast", "--exec", "count=wc -c", "--nice", "5"]);
        Assert.Equal(["render", "count"], launch.ExecHandlers.Select(h => h.TaskName));
        Assert.Equal(["python3", "/srv/my render.py", "--fast"], launch.ExecHandlers[0].Options.Command);
        Assert.Equal(5, launch.Nice);

        var hub = launch.CreateHub();
        Assert.Equal(["count", "cpu", "echo", "fail", "render", "sleep"], hub.TaskNames);
    }

    [Fact]
    public void The_exec_section_gives_every_setting()
    {
        var launch = WorkerCommandLine.Parse(["--config", Write(
            """
            lighthouse.worker {
              nice = 3
              exec {
                # Akka's HOCON takes no comma after an object's closing brace: a new line separates what follows.
                render { command = ["python3", "/srv/render.py"], timeout = 10m, nice = 10, working-directory = "/srv", stop-grace = 2s,
                         environment { MODE = "fast", LEVEL = 2 } }
                count { command = "wc -c" }
              }
            }
            """)]);
        Assert.Equal(3, launch.Nice);
        var render = Assert.Single(launch.ExecHandlers, h => h.TaskName == "render").Options;
        Assert.Equal(["python3", "/srv/render.py"], render.Command);
        Assert.Equal((TimeSpan.FromMinutes(10), 10, "/srv", TimeSpan.FromSeconds(2)), (render.Timeout, render.Nice, render.WorkingDirectory, render.StopGrace));
        Assert.Equal(new Dictionary<string, string> { ["LEVEL"] = "2", ["MODE"] = "fast" }, render.Environment);
        Assert.Equal(["wc", "-c"], Assert.Single(launch.ExecHandlers, h => h.TaskName == "count").Options.Command);
    }

    [Fact]
    public void An_exec_option_replaces_the_files_handler_of_its_name()
    {
        var launch = WorkerCommandLine.Parse(["--config", Write("lighthouse.worker.exec {\n render { command = [a] }\n other { command = [b] }\n}"), "--exec", "render=c d"]);
        Assert.Equal(["c", "d"], Assert.Single(launch.ExecHandlers, h => h.TaskName == "render").Options.Command);
        Assert.Equal(2, launch.ExecHandlers.Count);
    }

    [Theory]
    [InlineData("render", "--exec \"render\": expected NAME=COMMAND, e.g. render=python3 /srv/render.py")]
    [InlineData("render=", "--exec \"render=\": task name \"render\": command is empty")]
    [InlineData("=python3 x.py", "--exec \"=python3 x.py\": task name is empty")]
    [InlineData("render=python3 'x.py", "--exec \"render=python3 'x.py\": the single quote at character 9 is not closed")]
    [InlineData("echo=python3 x.py", "--exec: task name \"echo\" is a built-in handler of this worker (cpu, echo, fail, sleep); choose another name")]
    public void Bad_exec_options_are_refused_naming_the_problem(string exec, string error) =>
        Assert.StartsWith(error, Refusal("--exec", exec));

    [Fact]
    public void A_task_name_given_twice_or_with_a_control_character_is_refused()
    {
        Assert.Equal("--exec \"r=b\": task name \"r\" is given twice", Refusal("--exec", "r=a", "--exec", "r=b"));
        Assert.Equal("--exec \"r\u0007=a\": task name \"r\u0007\" contains the control character U+0007", Refusal("--exec", "r\u0007=a"));
    }

    [Theory]
    [InlineData("20")]
    [InlineData("-21")]
    [InlineData("low")]
    public void A_nice_value_outside_minus_20_to_19_is_refused(string nice) =>
        Assert.Equal($"--nice \"{nice}\": a nice value is a whole number from -20 (highest priority) to 19 (lowest)", Refusal("--nice", nice));

    [Fact]
    public void Task_nice_lowers_the_built_in_handlers_threads_from_the_option_or_the_file()
    {
        Assert.Null(WorkerCommandLine.Parse([]).CreateHub().TaskNice);
        Assert.Equal(10, WorkerCommandLine.Parse(["--task-nice", "10"]).CreateHub().TaskNice);
        Assert.Equal(19, WorkerCommandLine.Parse(["--config", Write("lighthouse.worker.task-nice = 19")]).TaskNice);
        Assert.Equal(5, WorkerCommandLine.Parse(["--config", Write("lighthouse.worker.task-nice = 19"), "--task-nice", "5"]).TaskNice);
    }

    [Theory]
    [InlineData("20")]
    [InlineData("-1")]
    [InlineData("low")]
    public void A_task_nice_outside_0_to_19_is_refused(string nice)
    {
        const string Problem = "a task nice is a whole number from 0 to 19 (the lowest priority): the built-in handlers' threads may only yield to the worker's own";
        Assert.Equal($"--task-nice \"{nice}\": {Problem}", Refusal("--task-nice", nice));
        Assert.Equal($"{_path}: lighthouse.worker.task-nice \"{nice}\": {Problem}", Refusal("--config", Write($"lighthouse.worker.task-nice = \"{nice}\"")));
    }

    [Theory]
    [InlineData("render { command = [] }", "exec.render: command is empty: give the program")]
    [InlineData("render { timeout = 1m }", ".exec.render.command is missing")]
    [InlineData("render { command = [a], colour = red }", ".exec.render.colour: unknown key; a handler has command, environment, nice, stop-grace, timeout, working-directory")]
    [InlineData("render { command = [a], nice = 25 }", ".exec.render.nice \"25\": a nice value is a whole number from -20 (highest priority) to 19 (lowest)")]
    [InlineData("render { command = [a], timeout = soon }", ".exec.render.timeout: \"soon\" is not a duration such as 30s or 10m")]
    [InlineData("render { command = [a], environment { LIGHTHOUSE_USER = root } }", ".exec.render: environment variable \"LIGHTHOUSE_USER\" is reserved")]
    [InlineData("echo { command = [a] }", ".exec.echo: task name \"echo\" is a built-in handler of this worker")]
    [InlineData("render = \"python3 x.py\"", ".exec.render: expected an object with a command")]
    public void Bad_exec_sections_are_refused_naming_the_key(string handlers, string error)
    {
        var refusal = Refusal("--config", Write($"lighthouse.worker.exec {{ {handlers} }}"));
        Assert.StartsWith($"{_path}: lighthouse.worker", refusal);
        Assert.True(refusal.Contains(error, StringComparison.Ordinal), refusal);
    }

    [Fact]
    public async Task A_bad_exec_option_exits_2_with_one_line()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, await WorkerCommandLine.RunAsync(["--exec", "render="], TextWriter.Null, stderr));
        Assert.StartsWith("lighthouse-worker: --exec \"render=\": task name \"render\": command is empty: give the program and its arguments", stderr.ToString());
        Assert.Single(stderr.ToString().Trim().Split('\n'));
    }
}
