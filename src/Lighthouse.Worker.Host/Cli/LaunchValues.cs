using System.Globalization;
using System.Text.RegularExpressions;
using Lighthouse.Protocol;

namespace Lighthouse.Worker.Cli;

/// <summary>
/// Reads the values a worker is launched with, the same way from the command line and from a config file.
/// <c>where</c> names the source (<c>--resources</c>, <c>worker.conf: lighthouse.worker.slots</c>) and goes in
/// front of every error, followed by the value as given.
/// </summary>
internal static partial class LaunchValues
{
    /// <summary>
    /// <c>cpu=4,gpu=1,ssd,dmz=-Infinity</c>: name=quantity pairs; a bare name is a tag (quantity 0); quantities are
    /// numbers, <c>Infinity</c> or <c>-Infinity</c> (a ward).
    /// </summary>
    public static SortedDictionary<string, double> Resources(string text, string where)
    {
        var resources = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text)) return resources;
        var items = text.Split(',');
        for (var index = 0; index < items.Length; index++)
        {
            var item = items[index].Trim();
            if (item.Length == 0) throw Bad(where, text, $"item {index + 1} is empty");
            var equals = item.IndexOf('=');
            var name = (equals < 0 ? item : item[..equals]).Trim();
            if (name.Length == 0) throw Bad(where, text, $"item {index + 1} (\"{item}\") has no resource name");
            if (WorkerHubOptions.ResourceNameProblem(name) is { } problem) throw Bad(where, text, problem);
            var quantity = equals < 0 ? 0 : Quantity(item[(equals + 1)..].Trim(), name, where, text);
            if (!resources.TryAdd(name, quantity)) throw Bad(where, text, $"resource \"{name}\" is given twice");
        }
        return resources;
    }

    /// <summary>One quantity: a number, <c>Infinity</c> or <c>-Infinity</c>; NaN and overflowing numbers are refused.</summary>
    public static double Quantity(string text, string name, string where, string given)
    {
        const string Expected = "write a number, Infinity or -Infinity";
        if (text is "Infinity" or "+Infinity") return double.PositiveInfinity;
        if (text == "-Infinity") return double.NegativeInfinity;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var quantity))
            throw Bad(where, given, $"the quantity of \"{name}\" is \"{text}\", not a number; {Expected}");
        if (double.IsNaN(quantity))
            throw Bad(where, given, $"the quantity of \"{name}\" is NaN; {Expected}");
        if (double.IsInfinity(quantity))
            throw Bad(where, given, $"the quantity of \"{name}\" is {text}, beyond the range of a double; {Expected}");
        return quantity;
    }

    /// <summary><c>MIN:MAX</c>, whole numbers, inclusive; an empty side is unbounded (<c>5:</c> is 5 and above).</summary>
    public static PriorityRange Priorities(string text, string where)
    {
        var colon = text.IndexOf(':');
        if (colon < 0 || colon != text.LastIndexOf(':'))
            throw Bad(where, text, "expected MIN:MAX, e.g. 0:10 (leave a side empty for no bound)");
        var min = Bound(text[..colon].Trim(), int.MinValue, where, text);
        var max = Bound(text[(colon + 1)..].Trim(), int.MaxValue, where, text);
        if (min > max) throw Bad(where, text, $"the minimum {min} is above the maximum {max}");
        return new PriorityRange(min, max);
    }

    /// <summary><c>HOST:PORT</c> of a seed node (a host name, an IPv4 address or a bracketed IPv6 address); answered as given, trimmed.</summary>
    public static SeedNode Seed(string text, string where)
    {
        var trimmed = text.Trim();
        var colon = trimmed.LastIndexOf(':');
        if (colon <= 0) throw Bad(where, text, "expected HOST:PORT, e.g. 127.0.0.1:4053");
        var host = trimmed[..colon];
        if (!HostPattern().IsMatch(host))
            throw Bad(where, text, $"\"{host}\" is not a host name or address");
        var port = Port(trimmed[(colon + 1)..], where, text, allowZero: false);
        return new SeedNode(host, port);
    }

    /// <summary>A TCP port: 1–65535, or 0 (any free port) where <paramref name="allowZero"/>.</summary>
    public static int Port(string text, string where, string given, bool allowZero)
    {
        var min = allowZero ? 0 : 1;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < min || port > 65535)
            throw Bad(where, given, $"port \"{text}\" is not a number from {min} to 65535");
        return port;
    }

    /// <summary>How many tasks run at once: a whole number, at least 1.</summary>
    public static int Slots(string text, string where)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var slots))
            throw Bad(where, text, "not a whole number");
        if (slots < 1) throw Bad(where, text, "a worker needs at least 1 slot");
        return slots;
    }

    /// <summary>A node name: not empty, no control characters.</summary>
    public static string Name(string text, string where) =>
        NameRules.Problem(text, "node name") is { } problem ? throw Bad(where, text, problem) : text;

    /// <summary>
    /// <c>NAME=COMMAND</c> of <c>--exec</c>: a task name, then the program and its arguments split like a shell's words
    /// (quotes and backslashes, no shell: <see cref="CommandWords"/>).
    /// </summary>
    public static ExecHandler Exec(string text, string where)
    {
        var equals = text.IndexOf('=');
        if (equals < 0) throw Bad(where, text, "expected NAME=COMMAND, e.g. render=python3 /srv/render.py");
        var name = text[..equals].Trim();
        if (NameRules.Problem(name, "task name") is { } problem) throw Bad(where, text, problem);
        IReadOnlyList<string> command;
        try
        {
            command = CommandWords.Split(text[(equals + 1)..]);
        }
        catch (FormatException bad)
        {
            throw Bad(where, text, bad.Message);
        }
        return Checked(new ExecHandler(name, new Processes.ProcessHandlerOptions(command), where), text);
    }

    /// <summary>An exec handler whose options can run, or the error naming <paramref name="given"/> and the problem.</summary>
    public static ExecHandler Checked(ExecHandler handler, string given) =>
        handler.Options.Problem() is { } problem ? throw Bad(handler.Where, given, $"task name \"{handler.TaskName}\": {problem}") : handler;

    /// <summary>
    /// <c>SLOTS:MIN:MAX[:NICE]</c> of <c>--lane</c>, pyLoadBalancer's <c>{"nWorkers": 4, "minP": 0, "maxP": 9, "processP": 10}</c> as
    /// <c>4:0:9:10</c>: slots (at least 1), the inclusive priority range (an empty side has no bound), and the nice value of
    /// the lane's processes (-20..19; none: the worker's own).
    /// </summary>
    public static WorkerLane Lane(string text, string where)
    {
        var parts = text.Split(':');
        if (parts.Length is not (3 or 4))
            throw Bad(where, text, "expected SLOTS:MIN:MAX or SLOTS:MIN:MAX:NICE, e.g. 4:0:9:10 (4 slots for priorities 0 to 9, their processes at nice 10)");
        if (!int.TryParse(parts[0].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var slots))
            throw Bad(where, text, $"the slots \"{parts[0]}\" are not a whole number");
        if (slots < 1) throw Bad(where, text, "a lane needs at least 1 slot");
        var min = Bound(parts[1].Trim(), int.MinValue, where, text);
        var max = Bound(parts[2].Trim(), int.MaxValue, where, text);
        if (min > max) throw Bad(where, text, $"the minimum priority {min} is above the maximum {max}");
        int? nice = parts.Length == 4 ? LaneNice(parts[3].Trim(), where, text) : null;
        return new WorkerLane(slots, new PriorityRange(min, max), nice);
    }

    /// <summary>The lanes of a worker, checked together (no two share a priority, at most 64, the slot cap); the error names <paramref name="where"/>.</summary>
    public static IReadOnlyList<WorkerLane> Lanes(IReadOnlyList<WorkerLane> lanes, string where) =>
        WorkerLanes.Problem(lanes, where) is { } problem ? throw new WorkerUsageException(problem) : lanes;

    private static int LaneNice(string text, string where, string given)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var nice) || nice is < -20 or > 19)
            throw Bad(where, given, $"the nice value \"{text}\" is not a whole number from -20 (highest priority) to 19 (lowest); below the worker's own it needs a privileged worker (root or CAP_SYS_NICE)");
        return nice;
    }

    /// <summary>
    /// The downing rule, as the hosts' <c>lighthouse.host.downing</c> names it: auto (whatever the configuration says,
    /// keep-majority by default), keep-majority or lease-majority.
    /// </summary>
    public static string Downing(string text, string where)
    {
        var rule = text.Trim().ToLowerInvariant();
        if (rule is "auto" or "keep-majority" or "lease-majority") return rule;
        throw Bad(where, text, "expected auto, keep-majority or lease-majority, the rule the hosts' lighthouse.host.downing names");
    }

    /// <summary>The nice value of the threads running the built-in handlers: 0 to 19 (lowest), never above the heartbeats' priority.</summary>
    public static int TaskNice(string text, string where)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var nice) || nice > WorkerHubOptions.MaxNice)
            throw Bad(where, text, $"a task nice is a whole number from 0 to {WorkerHubOptions.MaxNice} (the lowest priority): the built-in handlers' threads may only yield to the worker's own");
        return nice;
    }

    /// <summary>A nice value, -20 (highest priority) to 19 (lowest).</summary>
    public static int Nice(string text, string where)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var nice) || nice is < -20 or > 19)
            throw Bad(where, text, "a nice value is a whole number from -20 (highest priority) to 19 (lowest)");
        return nice;
    }

    private static int Bound(string text, int unbounded, string where, string given)
    {
        if (text.Length == 0) return unbounded;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
            throw Bad(where, given, $"\"{text}\" is not a whole number");
        return bound;
    }

    private static WorkerUsageException Bad(string where, string given, string problem) => new($"{where} \"{given}\": {problem}");

    // Letters, digits, dots and dashes, or an IPv6 address in brackets: nothing that could break out of HOCON quotes.
    [GeneratedRegex(@"^([A-Za-z0-9]([A-Za-z0-9.\-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$")]
    private static partial Regex HostPattern();
}
