using System.Globalization;
using Akka.Configuration;
using Lighthouse.Placement;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// The scheduler's knobs, read from the <c>lighthouse.scheduler</c> section of the configuration
/// (the library's reference.conf holds every default with its comment; config/lighthouse.conf is the operator's example).
/// </summary>
public sealed record SchedulerSettings(
    StrategyKind Strategy,
    IReadOnlyDictionary<string, double>? Rubric,
    int QueueCapPerUser,
    int DefaultMaxAttempts,
    TimeSpan ResultTtl,
    TimeSpan CollectedRetention,
    int MaxPayloadBytes,
    TimeSpan HistoryLength,
    TimeSpan HistoryInterval,
    TimeSpan SweepInterval)
{
    public const string Section = "lighthouse.scheduler";

    /// <summary>Queued tasks across all users (<c>queue-cap-total</c>).</summary>
    public int QueueCapTotal { get; init; } = 1_000_000;

    /// <summary>Characters in any name a caller gives: task, user, submission id, node, resource key, immunity, group.</summary>
    public int MaxNameLength { get; init; } = NameRules.DefaultMaxLength;

    /// <summary>Requirement keys of one task.</summary>
    public int MaxRequirements { get; init; } = 64;

    /// <summary>Immunities of one task, and aversion groups of one task (each).</summary>
    public int MaxNamesPerSet { get; init; } = 64;

    /// <summary>UTF-8 bytes of a worker's error text kept; the rest is cut with a note.</summary>
    public int MaxErrorBytes { get; init; } = 16 * 1024;

    /// <summary>Retries one task may ask for (<c>max-retry-attempts</c>).</summary>
    public int MaxRetryAttempts { get; init; } = 100;

    /// <summary>The longest retry back-off and max back-off (<c>max-retry-backoff</c>); also the cap of a policy without one.</summary>
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The longest timeout of one attempt (<c>max-task-timeout</c>).</summary>
    public TimeSpan MaxTaskTimeout { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The furthest ahead a delay or not-before may reach (<c>max-delay</c>).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromDays(365);

    /// <summary>How long after a task's timeout the scheduler waits for its worker to end it before ending it itself (<c>task-timeout-grace</c>).</summary>
    public TimeSpan TimeoutGrace { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Every user's weight in the fair share unless its own is set (<c>default-user-weight</c>; docs/task-policies.md, "Per user").</summary>
    public decimal DefaultUserWeight { get; init; } = 1m;

    /// <summary>Every user's quota of running tasks unless its own is set; null when none (<c>default-max-running = off</c>).</summary>
    public int? DefaultMaxRunning { get; init; }

    /// <summary>Users with their own weight or quota (<c>users { alice { weight = 3, max-running = 4 } }</c>): the start values, which an admin's runtime change overrides.</summary>
    public IReadOnlyDictionary<string, UserPolicySetting> Users { get; init; } = NoUsers;

    // One instance for "no users", so settings without any compare equal (a record compares a dictionary by reference).
    private static readonly IReadOnlyDictionary<string, UserPolicySetting> NoUsers = new Dictionary<string, UserPolicySetting>(StringComparer.Ordinal);

    /// <summary>
    /// Finished tasks kept at most (<c>retained-tasks-max</c>): past it the one soonest to expire is forgotten as if its
    /// retention had run out. Bounds memory and recovery time whatever the throughput.
    /// </summary>
    public int RetainedTasksMax { get; init; } = 100_000;

    /// <summary>
    /// What finished tasks kept may hold in payloads, results and errors (<c>retained-bytes-max</c>), counted at 2 bytes per
    /// character as .NET holds them; past it the ones soonest to expire are forgotten. The newest is kept whatever its size.
    /// </summary>
    public long RetainedBytesMax { get; init; } = 256L * 1024 * 1024;

    /// <summary>Tasks one task may wait for (<c>max-dependencies</c>).</summary>
    public int MaxDependencies { get; init; } = 100;

    /// <summary>Limits of concurrency keys (<c>concurrency-limits { KEY = N }</c>): start values; an admin's runtime limits win.</summary>
    public IReadOnlyDictionary<string, int> ConcurrencyLimits { get; init; } = NoLimits;

    // One shared empty table: settings without limits stay equal as records (a dictionary compares by reference).
    private static readonly IReadOnlyDictionary<string, int> NoLimits = new Dictionary<string, int>();

    /// <summary>The limit of a key with neither a configured nor a runtime limit (<c>default-concurrency-limit</c>); null (off): unlimited.</summary>
    public int? DefaultConcurrencyLimit { get; init; }

    /// <summary>Keys the scheduler tracks at once: configured, with a runtime limit, or used by a live task (<c>max-concurrency-keys</c>).</summary>
    public int MaxConcurrencyKeys { get; init; } = 10_000;

    /// <summary>The largest limit a key may be given (<c>max-concurrency-limit</c>).</summary>
    public int MaxConcurrencyLimit { get; init; } = 1_000_000;

    /// <summary>The defaults: the library's reference.conf (<see cref="LighthouseConfig.Reference"/>).</summary>
    public static SchedulerSettings Default { get; } = FromConfig(Config.Empty);

    /// <summary>
    /// Reads <c>lighthouse.scheduler</c> from <paramref name="config"/>; a missing key keeps its default (reference.conf).
    /// Throws <see cref="ConfigurationException"/> naming the key and the value for anything invalid.
    /// </summary>
    public static SchedulerSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        // Every key is in the reference, so each one below is found; the fallbacks passed only satisfy the helpers.
        var section = config.SafeWithFallback(LighthouseConfig.Reference).GetConfig(Section);

        var name = section.GetString("strategy");
        StrategyKind strategy;
        try { strategy = Distributor.ParseStrategy(name); }
        catch (PlacementException e) { throw Invalid("strategy", name, e.Message); }

        var rubric = ReadRubric(section);
        if (strategy == StrategyKind.BinPack && rubric is null)
            throw Invalid("rubric", "{}", "bin-pack needs a rubric of resource weights, e.g. rubric { cpu = 1 }");
        if (strategy != StrategyKind.BinPack && rubric is not null)
            throw Invalid("rubric", string.Join(", ", rubric.Keys), $"a rubric only applies to bin-pack, but the strategy is {section.GetString("strategy")}");

        return new SchedulerSettings(
            strategy,
            rubric,
            QueueCapPerUser: Positive(section, "queue-cap-per-user", 0),
            DefaultMaxAttempts: Positive(section, "default-max-attempts", 0),
            ResultTtl: Duration(section, "result-ttl", TimeSpan.Zero),
            CollectedRetention: Duration(section, "collected-result-retention", TimeSpan.Zero),
            MaxPayloadBytes: ByteSize(section, "max-payload-bytes", 0),
            HistoryLength: Duration(section, "history-length", TimeSpan.Zero),
            HistoryInterval: Duration(section, "history-interval", TimeSpan.Zero),
            SweepInterval: Duration(section, "sweep-interval", TimeSpan.Zero))
        {
            QueueCapTotal = Positive(section, "queue-cap-total", 0),
            MaxNameLength = Positive(section, "max-name-length", 0),
            MaxRequirements = Positive(section, "max-requirements", 0),
            MaxNamesPerSet = Positive(section, "max-names-per-set", 0),
            MaxErrorBytes = Positive(section, "max-error-bytes", 0),
            MaxRetryAttempts = Positive(section, "max-retry-attempts", 0),
            MaxRetryBackoff = Duration(section, "max-retry-backoff", TimeSpan.Zero),
            MaxTaskTimeout = Duration(section, "max-task-timeout", TimeSpan.Zero),
            MaxDelay = Duration(section, "max-delay", TimeSpan.Zero),
            TimeoutGrace = Duration(section, "task-timeout-grace", TimeSpan.Zero),
            DefaultUserWeight = Weight(section.GetString("default-user-weight"), "default-user-weight"),
            DefaultMaxRunning = Quota(section.GetString("default-max-running"), "default-max-running"),
            Users = ReadUsers(section),
            RetainedTasksMax = Positive(section, "retained-tasks-max", 0),
            RetainedBytesMax = LongByteSize(section, "retained-bytes-max", 0),
            MaxDependencies = Positive(section, "max-dependencies", 0),
            MaxConcurrencyKeys = Positive(section, "max-concurrency-keys", 0),
            MaxConcurrencyLimit = Positive(section, "max-concurrency-limit", 0),
        }.WithConcurrencyLimits(section).Validated();
    }

    /// <summary>Checks the relations between values; throws <see cref="ConfigurationException"/> naming the key.</summary>
    public SchedulerSettings Validated()
    {
        if (HistoryInterval > HistoryLength)
            throw Invalid("history-interval", HistoryInterval.ToString(), $"it is longer than history-length ({HistoryLength})");
        return this;
    }

    private SchedulerSettings WithConcurrencyLimits(Config section)
    {
        int? defaultLimit = null;
        var text = section.GetString("default-concurrency-limit");
        if (!string.Equals(text, "off", StringComparison.OrdinalIgnoreCase))
            defaultLimit = ConcurrencyLimit("default-concurrency-limit", text, "or off (no limit)");
        var limits = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (section.HasPath("concurrency-limits"))
        {
            foreach (var (key, value) in section.GetConfig("concurrency-limits").AsEnumerable())
            {
                var unquoted = key.Trim('"');
                if (NameRules.ConcurrencyKeyProblem(unquoted, "key", MaxNameLength) is { } problem)
                    throw Invalid($"concurrency-limits.{key}", value.GetString(), problem);
                limits[unquoted] = ConcurrencyLimit($"concurrency-limits.{key}", value.GetString(), "");
            }
        }
        if (limits.Count > MaxConcurrencyKeys)
            throw Invalid("concurrency-limits", $"{limits.Count} keys", $"it names more keys than max-concurrency-keys ({MaxConcurrencyKeys})");
        return this with { ConcurrencyLimits = limits.Count == 0 ? NoLimits : limits, DefaultConcurrencyLimit = defaultLimit };
    }

    private int ConcurrencyLimit(string key, string text, string alternative)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) || limit < 0 || limit > MaxConcurrencyLimit)
            throw Invalid(key, text, $"a concurrency limit is a whole number from 0 to {MaxConcurrencyLimit} (max-concurrency-limit){(alternative.Length > 0 ? " " + alternative : "")}");
        return limit;
    }

    private static IReadOnlyDictionary<string, double>? ReadRubric(Config section)
    {
        if (!section.HasPath("rubric")) return null;
        var rubric = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in section.GetConfig("rubric").AsEnumerable())
        {
            var text = value.GetString();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || double.IsNaN(weight))
                throw Invalid($"rubric.{key}", text, "a weight must be a number");
            rubric[key] = weight;
        }
        return rubric.Count == 0 ? null : rubric;
    }

    /// <summary>The <c>users</c> block: one object per user, with <c>weight</c> and/or <c>max-running</c>.</summary>
    private static IReadOnlyDictionary<string, UserPolicySetting> ReadUsers(Config section)
    {
        var users = new Dictionary<string, UserPolicySetting>(StringComparer.Ordinal);
        if (!section.HasPath("users")) return NoUsers;
        var block = section.GetValue("users");
        if (!block.IsObject()) throw Invalid("users", block.ToString(), "it must be an object of users, e.g. users { alice { weight = 3, max-running = 4 } }");
        foreach (var (user, value) in block.GetObject().Items)
        {
            var key = $"users.{user}";
            if (NameRules.Problem(user, "the user id", NameRules.DefaultMaxLength) is { } problem) throw Invalid(key, user, problem);
            if (!value.IsObject()) throw Invalid(key, value.ToString(), "each user is an object, e.g. alice { weight = 3, max-running = 4 }");
            var fields = value.GetObject().Items;
            if (fields.Keys.FirstOrDefault(k => k is not ("weight" or "max-running")) is { } unknown)
                throw Invalid($"{key}.{unknown}", fields[unknown].ToString(), "a user has only weight and max-running");
            users[user] = new UserPolicySetting(
                fields.TryGetValue("weight", out var weight) ? Weight(weight.GetString(), key + ".weight") : null,
                fields.TryGetValue("max-running", out var quota) ? Quota(quota.GetString(), key + ".max-running") ?? SetUserPolicy.NoQuota : null);
            if (users.Count > UserPolicyRules.MaxUsers)
                throw Invalid("users", $"{users.Count} users", $"at most {UserPolicyRules.MaxUsers} users may have a policy of their own");
        }
        return users.Count == 0 ? NoUsers : users;
    }

    private static decimal Weight(string text, string key)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var weight))
            throw Invalid(key, text, $"a weight is a number between {UserPolicyRules.Text(UserPolicyRules.MinWeight)} and {UserPolicyRules.Text(UserPolicyRules.MaxWeight)}");
        if (UserPolicyRules.WeightProblem(weight, "the weight") is { } problem) throw Invalid(key, text, problem);
        return weight;
    }

    /// <summary>A quota: a whole number, or <c>off</c> (null).</summary>
    private static int? Quota(string text, string key)
    {
        if (text is "off" or "none") return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var quota) || quota < 1)
            throw Invalid(key, text, $"a quota is a whole number of running tasks between 1 and {UserPolicyRules.MaxQuota}, or off");
        if (UserPolicyRules.QuotaProblem(quota, "the quota") is { } problem) throw Invalid(key, text, problem);
        return quota;
    }

    private static int Positive(Config section, string key, int fallback) =>
        new SettingsSection(Section, section).Positive(key, fallback);

    private static TimeSpan Duration(Config section, string key, TimeSpan fallback) =>
        new SettingsSection(Section, section).Duration(key, fallback, "30s or 10m");

    private static int ByteSize(Config section, string key, int fallback)
    {
        if (!section.HasPath(key)) return fallback;
        long? value;
        try { value = section.GetByteSize(key); }
        catch (Exception e) when (e is not ConfigurationException) { throw Invalid(key, section.GetString(key), e.Message); }
        if (value is null or < 1 or > int.MaxValue)
            throw Invalid(key, section.GetString(key), $"it must be a size between 1 byte and {int.MaxValue} bytes");
        return (int)value.Value;
    }

    private static long LongByteSize(Config section, string key, long fallback)
    {
        if (!section.HasPath(key)) return fallback;
        long? value;
        try { value = section.GetByteSize(key); }
        catch (Exception e) when (e is not ConfigurationException) { throw Invalid(key, section.GetString(key), e.Message); }
        if (value is null or < 1)
            throw Invalid(key, section.GetString(key), "it must be a size of at least 1 byte, such as 256MiB");
        return value.Value;
    }

    private static ConfigurationException Invalid(string key, string value, string why) =>
        new SettingsSection(Section, Config.Empty).Invalid(key, value, why);
}
