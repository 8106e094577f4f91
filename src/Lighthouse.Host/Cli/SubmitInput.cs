using System.Globalization;
using System.Text.Json;

namespace Lighthouse.Host.Cli;

/// <summary>
/// Reads <c>submit</c>'s options into what the scheduler takes. Every problem is a <see cref="ClientInputException"/>
/// naming the option, the item and the value, found before anything is sent.
/// </summary>
public static class SubmitInput
{
    /// <summary>The user a submission runs as when <c>--user</c> is not given: <c>$USER</c>, or <c>anonymous</c>.</summary>
    public static string DefaultUser() =>
        Environment.GetEnvironmentVariable("USER") is { Length: > 0 } user && !string.IsNullOrWhiteSpace(user) ? user : "anonymous";

    /// <summary>
    /// The payload JSON: <paramref name="option"/> itself, or a file's content for <c>@FILE</c> (<c>@-</c> reads stdin).
    /// It must be one valid JSON value: a payload is data, never parsed as anything else by Lighthouse.
    /// </summary>
    public static string Payload(string option, TextReader stdin)
    {
        string text, source;
        if (option.StartsWith('@'))
        {
            var path = option[1..];
            if (path.Length == 0) throw new ClientInputException("--payload \"@\" names no file: use @FILE, or @- for stdin");
            text = InputText.Read(path, stdin);
            source = $"--payload {option}";
        }
        else
        {
            text = option;
            source = "--payload";
        }
        try
        {
            using var document = JsonDocument.Parse(text);
        }
        catch (JsonException bad)
        {
            throw new ClientInputException($"{source} is not valid JSON: {bad.Message}", bad);
        }
        return text;
    }

    /// <summary>Requirements from <c>cpu=2,gpu=1</c>: resource names and quantities (a number, <c>Infinity</c> or <c>-Infinity</c>).</summary>
    public static IReadOnlyDictionary<string, double>? Requirements(string? option)
    {
        if (option is null) return null;
        var requirements = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (item, position) in Items("--require", option))
        {
            var equals = item.IndexOf('=');
            if (equals < 0)
                throw new ClientInputException($"--require \"{option}\": item {position} \"{item}\" is not RESOURCE=QUANTITY, e.g. cpu=2");
            var key = item[..equals].Trim();
            var value = item[(equals + 1)..].Trim();
            if (key.Length == 0)
                throw new ClientInputException($"--require \"{option}\": item {position} \"{item}\" has no resource name");
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var quantity) || double.IsNaN(quantity))
                throw new ClientInputException($"--require \"{option}\": the quantity of \"{key}\" is \"{value}\", not a number");
            if (!requirements.TryAdd(key, quantity))
                throw new ClientInputException($"--require \"{option}\": \"{key}\" is given twice");
        }
        return requirements;
    }

    /// <summary>A set of names from <c>a,b,c</c> (immunities, aversion groups); repeats count once.</summary>
    public static IReadOnlySet<string>? Names(string optionName, string? option)
    {
        if (option is null) return null;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (item, _) in Items(optionName, option)) names.Add(item);
        return names;
    }

    /// <summary>Task ids from <c>task-1,task-2</c>, in their order (the scheduler takes each once).</summary>
    public static IReadOnlyList<string>? TaskIds(string optionName, string? option) =>
        option is null ? null : Items(optionName, option).Select(i => i.Item1).ToList();

    /// <summary>A concurrency key: not empty (the scheduler checks the rest).</summary>
    public static string? Key(string optionName, string? option) =>
        option is not null && string.IsNullOrWhiteSpace(option) ? throw new ClientInputException($"{optionName} is empty: name a concurrency key") : option;

    /// <summary>The maximum attempts, which must be at least 1 when given.</summary>
    public static int? MaxAttempts(int? option) => option is < 1
        ? throw new ClientInputException($"--max-attempts {option} is invalid: a task needs at least 1 attempt")
        : option;

    /// <summary>
    /// The retry policy from <c>--retries</c>, <c>--retry-backoff</c> and <c>--retry-max-backoff</c>; the back-off options need
    /// <c>--retries</c>. The scheduler checks the values against its limits.
    /// </summary>
    public static Lighthouse.Protocol.RetryPolicy? Retry(int? retries, string? backoff, string? maxBackoff)
    {
        if (retries is null)
        {
            if (backoff is not null || maxBackoff is not null)
                throw new ClientInputException($"{(backoff is not null ? "--retry-backoff" : "--retry-max-backoff")} needs --retries N: how many times a failed task is started again");
            return null;
        }
        if (retries < 0) throw new ClientInputException($"--retries {retries} is invalid: it must be 0 or more");
        return new Lighthouse.Protocol.RetryPolicy(retries.Value, Duration("--retry-backoff", backoff) ?? TimeSpan.Zero, Duration("--retry-max-backoff", maxBackoff));
    }

    /// <summary>
    /// A duration: a number followed by <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c>, or a bare number of seconds. Zero or
    /// more, finite (no NaN, no Infinity).
    /// </summary>
    public static TimeSpan? Duration(string optionName, string? option)
    {
        if (option is null) return null;
        var text = option.Trim();
        var (number, unit) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 1.0),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1000.0),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60_000.0),
            _ when text.EndsWith('h') || text.EndsWith('H') => (text[..^1], 3_600_000.0),
            _ when text.EndsWith('d') || text.EndsWith('D') => (text[..^1], 86_400_000.0),
            _ => (text, 1000.0),
        };
        if (!double.TryParse(number.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new ClientInputException($"{optionName} \"{option}\" is not a duration: give a number and a unit, e.g. 500ms, 2s, 1.5m, 1h or 1d");
        var ms = value * unit;
        if (ms < 0) throw new ClientInputException($"{optionName} \"{option}\" is negative: a duration is zero or more");
        if (ms > TimeSpan.MaxValue.TotalMilliseconds / 2) throw new ClientInputException($"{optionName} \"{option}\" is far too long");
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>An ISO-8601 time naming its offset, e.g. <c>2025-01-31T10:42:03Z</c>.</summary>
    public static DateTimeOffset? Instant(string optionName, string? option)
    {
        if (option is null) return null;
        if (!Web.SubmissionJson.TryParseInstant(option, out var instant))
            throw new ClientInputException($"{optionName} \"{option}\" is not an ISO-8601 time with its offset, e.g. 2025-01-31T10:42:03Z");
        return instant;
    }

    private static IEnumerable<(string Item, int Position)> Items(string optionName, string option)
    {
        var items = option.Split(',');
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i].Trim();
            if (item.Length == 0)
                throw new ClientInputException($"{optionName} \"{option}\": item {i + 1} is empty");
            yield return (item, i + 1);
        }
    }
}
