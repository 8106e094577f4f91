using Akka.Configuration;
using Lighthouse.Placement;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>Reading <c>lighthouse.scheduler</c>: the shipped file states the defaults, and a bad value is named.</summary>
public sealed class SchedulerSettingsTests
{
    [Fact]
    public void The_shipped_config_file_states_exactly_the_defaults()
    {
        var file = FindUp(Path.Combine("config", "lighthouse.conf"));

        var settings = SchedulerSettings.FromConfig(ConfigurationFactory.ParseString(File.ReadAllText(file)));

        Assert.Equal(SchedulerSettings.Default, settings);
    }

    [Fact]
    public void A_missing_section_gives_the_defaults()
    {
        Assert.Equal(SchedulerSettings.Default, SchedulerSettings.FromConfig(Config.Empty));
    }

    [Fact]
    public void Values_are_read_with_their_units()
    {
        var settings = Read("""
            strategy = bin-pack
            rubric { cpu = 1, memory = 0.25 }
            queue-cap-per-user = 5
            default-max-attempts = 2
            result-ttl = 30s
            collected-result-retention = 2m
            max-payload-bytes = 64KiB
            history-length = 1h
            history-interval = 5s
            sweep-interval = 1s
            retained-tasks-max = 500
            retained-bytes-max = 3GiB
            """);

        Assert.Equal(StrategyKind.BinPack, settings.Strategy);
        Assert.Equal(new Dictionary<string, double> { ["cpu"] = 1, ["memory"] = 0.25 }, settings.Rubric);
        Assert.Equal((5, 2), (settings.QueueCapPerUser, settings.DefaultMaxAttempts));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)), (settings.ResultTtl, settings.CollectedRetention));
        Assert.Equal(64 * 1024, settings.MaxPayloadBytes);
        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)), (settings.HistoryLength, settings.HistoryInterval, settings.SweepInterval));
        Assert.Equal((500, 3L * 1024 * 1024 * 1024), (settings.RetainedTasksMax, settings.RetainedBytesMax));
    }

    [Theory]
    [InlineData("strategy = fastest", "lighthouse.scheduler.strategy = \"fastest\" is invalid")]
    [InlineData("queue-cap-per-user = 0", "lighthouse.scheduler.queue-cap-per-user = \"0\" is invalid: it must be a whole number of at least 1")]
    [InlineData("queue-cap-total = 0", "lighthouse.scheduler.queue-cap-total = \"0\" is invalid: it must be a whole number of at least 1")]
    [InlineData("max-name-length = -1", "lighthouse.scheduler.max-name-length = \"-1\" is invalid")]
    [InlineData("max-requirements = lots", "lighthouse.scheduler.max-requirements = \"lots\" is invalid")]
    [InlineData("max-names-per-set = 0", "lighthouse.scheduler.max-names-per-set = \"0\" is invalid")]
    [InlineData("max-error-bytes = 1.5", "lighthouse.scheduler.max-error-bytes = \"1.5\" is invalid")]
    [InlineData("default-max-attempts = many", "lighthouse.scheduler.default-max-attempts = \"many\" is invalid")]
    [InlineData("retained-tasks-max = 0", "lighthouse.scheduler.retained-tasks-max = \"0\" is invalid: it must be a whole number of at least 1")]
    [InlineData("retained-bytes-max = lots", "lighthouse.scheduler.retained-bytes-max = \"lots\" is invalid")]
    [InlineData("retained-bytes-max = 0", "lighthouse.scheduler.retained-bytes-max = \"0\" is invalid: it must be a size of at least 1 byte")]
    [InlineData("result-ttl = -5s", "lighthouse.scheduler.result-ttl = \"-5s\" is invalid")]
    [InlineData("strategy = bin-pack", "lighthouse.scheduler.rubric = \"{}\" is invalid: bin-pack needs a rubric")]
    [InlineData("rubric { cpu = 1 }", "lighthouse.scheduler.rubric = \"cpu\" is invalid: a rubric only applies to bin-pack")]
    [InlineData("history-interval = 1h", "lighthouse.scheduler.history-interval = \"01:00:00\" is invalid: it is longer than history-length")]
    public void A_bad_value_is_named_with_its_key(string hocon, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(hocon));

        Assert.StartsWith(message, error.Message);
    }

    private static SchedulerSettings Read(string body) =>
        SchedulerSettings.FromConfig(ConfigurationFactory.ParseString($"lighthouse.scheduler {{\n{body}\n}}"));

    private static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
