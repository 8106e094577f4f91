using Lighthouse.Protocol;
using Lighthouse.Worker.Cli;

namespace Lighthouse.Worker.Tests.Cli;

public sealed class WorkerCommandLineTests
{
    private static string Refusal(params string[] args) => Assert.Throws<WorkerUsageException>(() => WorkerCommandLine.Parse(args)).Message;

    [Fact]
    public void Without_arguments_a_worker_joins_the_local_host_with_every_processor_and_priority()
    {
        var launch = WorkerCommandLine.Parse([]);
        Assert.Equal([new SeedNode("127.0.0.1", 4053)], launch.Seeds);
        Assert.Equal(Environment.ProcessorCount, launch.Slots);
        Assert.Equal(PriorityRange.All, launch.Priorities);
        Assert.Empty(launch.Resources);
        Assert.Null(launch.Name);
        Assert.Null(launch.Port);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var launch = WorkerCommandLine.Parse([
            "--seed", "10.0.0.1:4053", "--seed", "host-b.example:5000", "--name", "gpu-box", "--slots", "3",
            "--resources", "cpu=4, gpu=1.5,ssd,dmz=-Infinity", "--priority-range", "-5:5", "--port", "4100"]);

        Assert.Equal([new SeedNode("10.0.0.1", 4053), new SeedNode("host-b.example", 5000)], launch.Seeds);
        Assert.Equal(("gpu-box", 3, 4100), (launch.Name, launch.Slots, launch.Port));
        Assert.Equal(new Dictionary<string, double> { ["cpu"] = 4, ["dmz"] = double.NegativeInfinity, ["gpu"] = 1.5, ["ssd"] = 0 }, launch.Resources);
        Assert.Equal(new PriorityRange(-5, 5), launch.Priorities);
    }

    [Theory]
    [InlineData("5:", 5, int.MaxValue)]
    [InlineData(":10", int.MinValue, 10)]
    [InlineData("7:7", 7, 7)]
    public void A_priority_range_side_left_empty_has_no_bound(string range, int min, int max) =>
        Assert.Equal(new PriorityRange(min, max), WorkerCommandLine.Parse(["--priority-range", range]).Priorities);

    [Theory]
    [InlineData("--resources", "cpu=abc", "--resources \"cpu=abc\": the quantity of \"cpu\" is \"abc\", not a number; write a number, Infinity or -Infinity")]
    [InlineData("--resources", "cpu=NaN", "--resources \"cpu=NaN\": the quantity of \"cpu\" is NaN; write a number, Infinity or -Infinity")]
    [InlineData("--resources", "cpu=1e999", "--resources \"cpu=1e999\": the quantity of \"cpu\" is 1e999, beyond the range of a double; write a number, Infinity or -Infinity")]
    [InlineData("--resources", "cpu=4,,gpu=1", "--resources \"cpu=4,,gpu=1\": item 2 is empty")]
    [InlineData("--resources", "cpu=4,cpu=2", "--resources \"cpu=4,cpu=2\": resource \"cpu\" is given twice")]
    [InlineData("--resources", "=4", "--resources \"=4\": item 1 (\"=4\") has no resource name")]
    [InlineData("--resources", "slots=4", "--resources \"slots=4\": resource \"slots\" is reserved: the scheduler counts slots itself; set the slots instead")]
    [InlineData("--priority-range", "5:1", "--priority-range \"5:1\": the minimum 5 is above the maximum 1")]
    [InlineData("--priority-range", "5", "--priority-range \"5\": expected MIN:MAX, e.g. 0:10 (leave a side empty for no bound)")]
    [InlineData("--priority-range", "low:5", "--priority-range \"low:5\": \"low\" is not a whole number")]
    [InlineData("--priority-range", "NaN:5", "--priority-range \"NaN:5\": \"NaN\" is not a whole number")]
    [InlineData("--slots", "0", "--slots \"0\": a worker needs at least 1 slot")]
    [InlineData("--slots", "two", "--slots \"two\": not a whole number")]
    [InlineData("--seed", "localhost", "--seed \"localhost\": expected HOST:PORT, e.g. 127.0.0.1:4053")]
    [InlineData("--seed", "h:0", "--seed \"h:0\": port \"0\" is not a number from 1 to 65535")]
    [InlineData("--seed", "a\"b:4053", "--seed \"a\"b:4053\": \"a\"b\" is not a host name or address")]
    [InlineData("--port", "-1", "--port \"-1\": port \"-1\" is not a number from 0 to 65535")]
    [InlineData("--name", " ", "--name \" \": node name is empty")]
    public void A_bad_value_is_refused_naming_the_option_the_value_and_the_problem(string option, string value, string message) =>
        Assert.Equal(message, Refusal(option, value));

    [Fact]
    public void An_unknown_option_is_refused()
    {
        Assert.Contains("--slot", Refusal("--slot", "2"));
    }

    [Fact]
    public async Task Bad_arguments_print_one_line_on_stderr_nothing_on_stdout_and_exit_2()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await WorkerCommandLine.RunAsync(["--resources", "cpu=abc"], stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout.ToString());
        Assert.Equal(
            "lighthouse-worker: --resources \"cpu=abc\": the quantity of \"cpu\" is \"abc\", not a number; write a number, Infinity or -Infinity" + Environment.NewLine,
            stderr.ToString());
    }

    [Fact]
    public async Task Help_is_printed_and_exits_0()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, await WorkerCommandLine.RunAsync(["--help"], stdout, new StringWriter()));
        Assert.Contains("--priority-range <MIN:MAX>", stdout.ToString());
        Assert.Contains("lighthouse.worker", stdout.ToString());
        // The exit-code contract: a removed worker rejoins rather than exiting (WorkerPauseTests runs it).
        Assert.Contains("joins again through its seeds as a new member", stdout.ToString());
        Assert.Contains("Exit codes: 0 stopped on request (Ctrl-C, SIGTERM), 1 could not start its ActorSystem (again), 2 bad arguments.", stdout.ToString());
    }
}
