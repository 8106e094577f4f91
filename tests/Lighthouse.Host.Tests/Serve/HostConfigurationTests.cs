using Lighthouse.Host.Serve;
using Lighthouse.Placement;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Serve;

/// <summary>How <c>lighthouse serve</c> composes its configuration: defaults, then --config, then environment, then flags.</summary>
public sealed class HostConfigurationTests
{
    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    private static HostSettings Settings(ServeArguments? arguments = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var given = arguments ?? new ServeArguments();
        return HostSettings.From(HostConfiguration.Compose(given, environment ?? NoEnvironment), given.ConfigFile);
    }

    private static string Refusal(ServeArguments? arguments = null, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.Throws<ServeConfigurationException>(() => Settings(arguments, environment)).Message;

    [Fact]
    public void With_nothing_given_it_is_a_single_machine_lighthouse_on_loopback()
    {
        var settings = Settings();

        Assert.Equal(("127.0.0.1", "", 4053), (settings.Hostname, settings.PublicHostname, settings.Port));
        Assert.Empty(settings.Seeds);
        Assert.Equal(new LocalWorkerSettings(Math.Max(1, Environment.ProcessorCount - 1), Nice: 10), settings.LocalWorker);
        Assert.Equal("http://127.0.0.1:9000", settings.Http!.Url);
        Assert.Null(settings.Http.BearerToken);
        Assert.Equal(1024 * 1024, settings.Http.MaxBodyBytes);
        Assert.Equal(StrategyKind.Prioritized, settings.Scheduler.Strategy);
        Assert.Equal(["scheduler"], settings.Akka.GetStringList("akka.cluster.roles"));
    }

    [Fact]
    public void The_defaults_carry_the_tuned_cluster_settings_and_frames_for_1MiB_payloads()
    {
        var akka = Settings().Akka;

        Assert.Equal("cluster", akka.GetString("akka.actor.provider"));
        Assert.Equal(4L * 1024 * 1024, akka.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), akka.GetTimeSpan("akka.cluster.failure-detector.heartbeat-interval"));
        Assert.Equal(TimeSpan.FromMilliseconds(500), akka.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(TimeSpan.FromSeconds(1), akka.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal("keep-majority", akka.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal("scheduler", akka.GetString("akka.cluster.split-brain-resolver.keep-majority.role"));
        Assert.Equal("scheduler", akka.GetString("akka.cluster.client.receptionist.role"));
        Assert.False(akka.GetBoolean("akka.cluster.singleton-proxy.log-singleton-identification-failure"));
        // The protocol's serializer is bound beneath everything.
        Assert.True(akka.HasPath("akka.actor.serializers.lighthouse"));
    }

    [Fact]
    public void The_file_overrides_the_defaults_the_environment_the_file_and_flags_everything()
    {
        using var file = new TempFile("""
            akka.remote.dot-netty.tcp { port = 5001, hostname = "10.0.0.5" }
            # Off loopback without certificates: allowed only as insecure.
            lighthouse.tls.insecure = on
            lighthouse.scheduler.strategy = round-robin
            lighthouse.host.http.port = 9100
            """);
        var fromFile = new ServeArguments(ConfigFile: file.Path);
        var environment = new Dictionary<string, string> { ["LIGHTHOUSE_PORT"] = "5002", ["LIGHTHOUSE_HTTP_PORT"] = "9200" };

        Assert.Equal((5001, "10.0.0.5", 9100), Read(Settings(fromFile)));
        Assert.Equal((5002, "10.0.0.5", 9200), Read(Settings(fromFile, environment)));
        Assert.Equal((5003, "10.0.0.6", 9300), Read(Settings(fromFile with { Port = "5003", Hostname = "10.0.0.6", HttpPort = "9300" }, environment)));
        Assert.Equal(StrategyKind.RoundRobin, Settings(fromFile).Scheduler.Strategy);

        static (int, string, int) Read(HostSettings s) => (s.Port, s.Hostname, s.Http!.Port);
    }

    [Fact]
    public void Environment_seeds_become_akka_addresses_in_order_and_the_public_hostname_is_taken()
    {
        using var memory = new TempFile("lighthouse.persistence.provider = none");
        var settings = Settings(new ServeArguments(ConfigFile: memory.Path, Insecure: true), new Dictionary<string, string>
        {
            ["LIGHTHOUSE_SEEDS"] = "10.0.0.1:4053, host-b:4054",
            ["LIGHTHOUSE_HOSTNAME"] = "0.0.0.0",
            ["LIGHTHOUSE_PUBLIC_HOSTNAME"] = "10.0.0.9",
        });

        Assert.Equal(["akka.tcp://lighthouse@10.0.0.1:4053", "akka.tcp://lighthouse@host-b:4054"], settings.Seeds);
        Assert.Equal(("0.0.0.0", "10.0.0.9"), (settings.Hostname, settings.PublicHostname));
    }

    [Fact]
    public void An_sqlite_host_seeded_with_another_host_is_refused_naming_postgresql()
    {
        var message = Refusal(new ServeArguments(), new Dictionary<string, string> { ["LIGHTHOUSE_SEEDS"] = "127.0.0.1:4053, 10.0.0.1:4053", ["LIGHTHOUSE_PORT"] = "4053" });

        Assert.Equal("akka.cluster.seed-nodes names another host (akka.tcp://lighthouse@10.0.0.1:4053), but lighthouse.persistence.provider = sqlite " +
                     "keeps the scheduler's state in a file on this machine only, and a scheduler that moves to another host would not find it: " +
                     "several scheduler hosts need lighthouse.persistence.provider = postgresql (or give this host no seeds but itself)", message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void An_sqlite_host_may_seed_itself_and_a_postgresql_or_memory_host_may_join_others()
    {
        using var postgres = new TempFile("lighthouse.persistence { provider = postgresql, connection-string = \"Host=db;Database=lh;Username=u;Password=p\" }");
        using var memory = new TempFile("lighthouse.persistence.provider = none");
        var others = new Dictionary<string, string> { ["LIGHTHOUSE_SEEDS"] = "10.0.0.1:4053" };

        var itself = Settings(new ServeArguments(Insecure: true), new Dictionary<string, string>
        {
            ["LIGHTHOUSE_SEEDS"] = "10.0.0.9:4060", ["LIGHTHOUSE_PORT"] = "4060", ["LIGHTHOUSE_HOSTNAME"] = "0.0.0.0", ["LIGHTHOUSE_PUBLIC_HOSTNAME"] = "10.0.0.9",
        });

        Assert.Equal(["akka.tcp://lighthouse@10.0.0.9:4060"], itself.Seeds);
        Assert.Single(Settings(new ServeArguments(ConfigFile: postgres.Path), others).Seeds);
        Assert.Single(Settings(new ServeArguments(ConfigFile: memory.Path), others).Seeds);
    }

    [Fact]
    public void No_local_worker_turns_it_off_and_a_file_can_size_it()
    {
        using var file = new TempFile("lighthouse.host.local-worker { slots = 3, nice = 19 }");
        using var pool = new TempFile("lighthouse.host.local-worker.nice = off");

        Assert.Null(Settings(new ServeArguments(NoLocalWorker: true)).LocalWorker);
        Assert.Equal(new LocalWorkerSettings(3, 19), Settings(new ServeArguments(ConfigFile: file.Path)).LocalWorker);
        Assert.Null(Settings(new ServeArguments(ConfigFile: pool.Path)).LocalWorker!.Nice);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(8, 7)]
    public void By_default_the_local_worker_leaves_one_processor_to_the_scheduler(int processors, int slots) =>
        Assert.Equal(slots, LocalWorkerSection.DefaultSlots(processors));

    [Fact]
    public void A_host_keeps_its_own_roles_and_is_always_a_scheduler_member()
    {
        using var file = new TempFile("akka.cluster.roles = [gpu-tenant]");

        Assert.Equal(["gpu-tenant", "scheduler"], Settings(new ServeArguments(ConfigFile: file.Path)).Akka.GetStringList("akka.cluster.roles"));
    }

    [Theory]
    [InlineData("abc", "--port = \"abc\": not a port number (0 to 65535; 0 takes any free port)")]
    [InlineData("70000", "--port = \"70000\": not a port number (0 to 65535; 0 takes any free port)")]
    [InlineData("-1", "--port = \"-1\": not a port number (0 to 65535; 0 takes any free port)")]
    public void A_bad_port_flag_is_refused_naming_the_flag(string port, string message)
    {
        Assert.Equal(message, Refusal(new ServeArguments(Port: port)));
    }

    [Fact]
    public void Bad_flags_and_variables_are_refused_naming_them()
    {
        Assert.Equal("--hostname = \"a b\": not a host name or IP address", Refusal(new ServeArguments(Hostname: "a b")));
        Assert.Equal("--http-port = \"x\": not a port number (0 to 65535; 0 takes any free port)", Refusal(new ServeArguments(HttpPort: "x")));
        Assert.Equal("LIGHTHOUSE_PORT = \"4053x\": not a port number (0 to 65535; 0 takes any free port)",
            Refusal(environment: new Dictionary<string, string> { ["LIGHTHOUSE_PORT"] = "4053x" }));
        Assert.Equal("LIGHTHOUSE_SEEDS=\"10.0.0.1:4053,nohost\": seed \"nohost\" is not HOST:PORT, e.g. 10.0.0.1:4053",
            Refusal(environment: new Dictionary<string, string> { ["LIGHTHOUSE_SEEDS"] = "10.0.0.1:4053,nohost" }));
        Assert.Equal("LIGHTHOUSE_SEEDS=\"h:0\": seed \"h:0\" has port \"0\"; a seed's port is 1 to 65535",
            Refusal(environment: new Dictionary<string, string> { ["LIGHTHOUSE_SEEDS"] = "h:0" }));
    }

    [Fact]
    public void An_unreadable_config_file_is_refused_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"lighthouse-missing-{Guid.NewGuid():N}.conf");

        Assert.Equal($"--config \"{missing}\": no such file", Refusal(new ServeArguments(ConfigFile: missing)));
        Assert.StartsWith($"--config \"{Path.GetTempPath()}\": cannot read it: ", Refusal(new ServeArguments(ConfigFile: Path.GetTempPath())));
    }

    [Fact]
    public void A_file_the_HOCON_parser_refuses_is_refused_on_one_line()
    {
        using var file = new TempFile("akka.remote.dot-netty.tcp {\n  port = ${cluster-port}\n}");

        Assert.Equal($"--config \"{file.Path}\": not valid HOCON: Unresolved substitution: cluster-port", Refusal(new ServeArguments(ConfigFile: file.Path)));
    }

    [Theory]
    [InlineData("akka.remote.dot-netty.tcp.port = many", "akka.remote.dot-netty.tcp.port = \"many\": not a port number (0 to 65535; 0 takes any free port)")]
    [InlineData("akka.actor.provider = remote", "akka.actor.provider = \"remote\": a Lighthouse host is a cluster member; use cluster")]
    [InlineData("akka.cluster.seed-nodes = [\"akka.tcp://other@10.0.0.1:4053\"]", "akka.cluster.seed-nodes: \"akka.tcp://other@10.0.0.1:4053\" must name the system \"lighthouse\" with a host and port, e.g. akka.tcp://lighthouse@10.0.0.1:4053")]
    [InlineData("akka.cluster.seed-nodes = [\"10.0.0.1:4053\"]", "akka.cluster.seed-nodes: \"10.0.0.1:4053\" is not an Akka address such as akka.tcp://lighthouse@10.0.0.1:4053")]
    [InlineData("lighthouse.host.local-worker.slots = -2", "lighthouse.host.local-worker.slots = \"-2\": not a number of slots (0 means one per processor but one)")]
    [InlineData("lighthouse.host.local-worker.nice = 20", "lighthouse.host.local-worker.nice = \"20\": not a nice value from 0 to 19 (the lowest priority), or off")]
    [InlineData("lighthouse.host.local-worker.nice = -5", "lighthouse.host.local-worker.nice = \"-5\": not a nice value from 0 to 19")]
    [InlineData("lighthouse.host.local-worker.nice = low", "lighthouse.host.local-worker.nice = \"low\": not a nice value from 0 to 19")]
    [InlineData("lighthouse.host.local-worker.enabled = maybe", "lighthouse.host.local-worker.enabled = \"maybe\": not on or off")]
    [InlineData("lighthouse.scheduler.strategy = fastest", "lighthouse.scheduler.strategy = \"fastest\" is invalid")]
    [InlineData("lighthouse.host.http.hostname = \"0.0.0.0\"", "refusing to serve the HTTP API on http://0.0.0.0:9000 without a bearer token")]
    public void A_bad_value_in_the_file_is_refused_naming_the_file_the_key_and_the_value(string line, string message)
    {
        using var file = new TempFile(line);

        Assert.StartsWith($"--config \"{file.Path}\": {message}", Refusal(new ServeArguments(ConfigFile: file.Path)));
    }

    [Fact]
    public void A_public_http_address_with_a_token_is_accepted()
    {
        using var file = new TempFile("lighthouse.host.http { hostname = \"0.0.0.0\", bearer-token = \"s3cret\" }");

        Assert.Equal("s3cret", Settings(new ServeArguments(ConfigFile: file.Path)).Http!.BearerToken);
    }

    [Fact]
    public void The_web_monitor_can_be_turned_off()
    {
        using var file = new TempFile("lighthouse.host.http.enabled = off");

        Assert.Null(Settings(new ServeArguments(ConfigFile: file.Path)).Http);
    }
}
