using Lighthouse.Protocol;
using Lighthouse.Worker.Cli;

namespace Lighthouse.Worker.Tests.Cli;

public sealed class WorkerConfigFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"lighthouse-worker-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(_path);

    private string Write(string hocon)
    {
        File.WriteAllText(_path, hocon);
        return _path;
    }

    private const string Complete =
        """
        akka.remote.dot-netty.tcp.hostname = "10.0.0.7"
        akka.cluster.roles = [gpu]
        # Off loopback without certificates: allowed only as insecure.
        lighthouse.tls.insecure = on
        lighthouse.worker {
          name = "box-7"
          slots = 6
          resources { cpu = 8, ssd = 0, dmz = "-Infinity" }
          priority-range = "1:9"
          seeds = ["10.0.0.1:4053", "10.0.0.2:4053"]
          port = 4054
        }
        """;

    [Fact]
    public void The_worker_section_gives_every_value()
    {
        var launch = WorkerCommandLine.Parse(["--config", Write(Complete)]);

        Assert.Equal(_path, launch.ConfigFile);
        Assert.Equal(("box-7", 6, 4054), (launch.Name, launch.Slots, launch.Port));
        Assert.Equal(new Dictionary<string, double> { ["cpu"] = 8, ["dmz"] = double.NegativeInfinity, ["ssd"] = 0 }, launch.Resources);
        Assert.Equal(new PriorityRange(1, 9), launch.Priorities);
        Assert.Equal([new SeedNode("10.0.0.1", 4053), new SeedNode("10.0.0.2", 4053)], launch.Seeds);
    }

    [Fact]
    public void The_command_line_overrides_the_file()
    {
        var launch = WorkerCommandLine.Parse(["--config", Write(Complete), "--slots", "2", "--resources", "cpu=1", "--seed", "127.0.0.1:5000", "--port", "0"]);
        Assert.Equal((2, 0), (launch.Slots, launch.Port));
        Assert.Equal(new Dictionary<string, double> { ["cpu"] = 1 }, launch.Resources);
        Assert.Equal([new SeedNode("127.0.0.1", 5000)], launch.Seeds);
        Assert.Equal("box-7", launch.Name);
    }

    [Fact]
    public void The_akka_configuration_joins_the_seeds_as_a_worker_with_the_files_settings_and_the_protocol_serializer()
    {
        var config = WorkerCommandLine.Parse(["--config", Write(Complete)]).AkkaConfig();

        Assert.Equal(["akka.tcp://lighthouse@10.0.0.1:4053", "akka.tcp://lighthouse@10.0.0.2:4053"], config.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(["gpu", "worker"], config.GetStringList("akka.cluster.roles"));
        Assert.Equal(4054, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("10.0.0.7", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal("lighthouse", config.GetString("akka.actor.serialization-bindings.\"Lighthouse.Protocol.StartTask, Lighthouse.Actors\""));
    }

    [Fact]
    public void Without_a_file_the_worker_listens_on_loopback_on_any_port()
    {
        var config = WorkerCommandLine.Parse([]).AkkaConfig();
        Assert.Equal("127.0.0.1", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(0, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["worker"], config.GetStringList("akka.cluster.roles"));
    }

    [Fact]
    public void Without_a_file_the_worker_takes_the_hosts_frame_size_and_downing_rule()
    {
        // A 1 MiB payload must cross to a default worker: Akka's 128,000-byte frame would drop it and the
        // connection with it. Downing counts the majority over scheduler members, as the host does.
        var config = WorkerCommandLine.Parse([]).AkkaConfig();
        Assert.Equal(4L * 1024 * 1024, config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal("scheduler", config.GetString("akka.cluster.split-brain-resolver.keep-majority.role"));
    }

    [Fact]
    public void Downing_takes_the_hosts_rule_from_the_option_over_the_file()
    {
        const string Strategy = "akka.cluster.split-brain-resolver.active-strategy";
        Assert.Equal("lease-majority", WorkerCommandLine.Parse(["--downing", "lease-majority"]).AkkaConfig().GetString(Strategy));
        Assert.Equal("lease-majority", WorkerCommandLine.Parse(["--config", Write("lighthouse.worker.downing = lease-majority")]).AkkaConfig().GetString(Strategy));
        Assert.Equal("keep-majority", WorkerCommandLine.Parse(["--config", Write("lighthouse.worker.downing = lease-majority"), "--downing", "keep-majority"]).AkkaConfig().GetString(Strategy));
        // auto keeps what the configuration says: the file's own Akka setting, else keep-majority.
        Assert.Equal("keep-majority", WorkerCommandLine.Parse(["--downing", "auto"]).AkkaConfig().GetString(Strategy));
        Assert.Equal("lease-majority", WorkerCommandLine.Parse(["--config", Write($"{Strategy} = lease-majority"), "--downing", "auto"]).AkkaConfig().GetString(Strategy));
    }

    [Fact]
    public void A_downing_rule_the_hosts_do_not_have_is_refused()
    {
        const string Problem = "expected auto, keep-majority or lease-majority, the rule the hosts' lighthouse.host.downing names";
        Assert.Equal($"--downing \"keep-oldest\": {Problem}",
            Assert.Throws<WorkerUsageException>(() => WorkerCommandLine.Parse(["--downing", "keep-oldest"])).Message);
        Assert.Equal($"{_path}: lighthouse.worker.downing \"static-quorum\": {Problem}",
            Assert.Throws<WorkerUsageException>(() => WorkerCommandLine.Parse(["--config", Write("lighthouse.worker.downing = static-quorum")])).Message);
    }

    [Theory]
    [InlineData("lighthouse.worker.slots = many", "lighthouse.worker.slots \"many\": not a whole number")]
    [InlineData("lighthouse.worker.priority-range = \"9:1\"", "lighthouse.worker.priority-range \"9:1\": the minimum 9 is above the maximum 1")]
    [InlineData("lighthouse.worker.resources { gpu = lots }", "lighthouse.worker.resources.gpu \"lots\": the quantity of \"gpu\" is \"lots\", not a number")]
    [InlineData("lighthouse.worker.resources { slots = 2 }", "lighthouse.worker.resources: resource \"slots\" is reserved")]
    [InlineData("lighthouse.worker.seeds = [\"nohost\"]", "lighthouse.worker.seeds \"nohost\": expected HOST:PORT")]
    [InlineData("lighthouse.worker.seeds = []", "lighthouse.worker.seeds is empty: a worker needs a seed to join")]
    public void A_bad_value_in_the_file_is_refused_naming_the_file_the_key_and_the_value(string hocon, string message)
    {
        var refusal = Assert.Throws<WorkerUsageException>(() => WorkerCommandLine.Parse(["--config", Write(hocon)])).Message;
        Assert.StartsWith($"{_path}: {message}", refusal);
    }

    [Fact]
    public void A_missing_or_malformed_file_is_refused_naming_it()
    {
        Assert.StartsWith($"--config \"{_path}\": cannot read it", Assert.Throws<WorkerUsageException>(() => WorkerCommandLine.Parse(["--config", _path])).Message);
        // Akka's HOCON reader is lenient about brackets; an unresolved substitution is one thing it refuses.
        Assert.StartsWith($"--config \"{Write("a = ${missing}")}\": not valid HOCON", Assert.Throws<WorkerUsageException>(() => WorkerCommandLine.Parse(["--config", _path])).Message);
    }
}
