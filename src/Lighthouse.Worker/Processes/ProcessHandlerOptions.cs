using System.Globalization;

namespace Lighthouse.Worker.Processes;

/// <summary>
/// How a process handler runs its program: the command as an argument list (no shell involved: the words reach the
/// program exactly as given), its working directory, extra environment variables, a timeout, the nice value of its
/// processes, how long SIGTERM is given before SIGKILL, and the most bytes of result it may write. Configured on the
/// worker, never by a task's payload, which the program reads from its standard input.
/// </summary>
public sealed class ProcessHandlerOptions
{
    /// <summary>The result cap when the worker sets none: the scheduler's default <c>lighthouse.scheduler.max-payload-bytes</c>.</summary>
    public const int DefaultMaxResultBytes = 1024 * 1024;

    /// <summary>Variables the worker sets for every task process; the environment may not set them.</summary>
    public const string ReservedPrefix = "LIGHTHOUSE_";

    public ProcessHandlerOptions(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Command = command.ToList();
    }

    /// <summary>The program and its arguments; the program is looked up on PATH unless it contains a slash.</summary>
    public IReadOnlyList<string> Command { get; }

    /// <summary>The directory the program starts in; null keeps the worker's.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Variables added to the worker's environment for the program (the worker's own LIGHTHOUSE_* ones are not passed on).</summary>
    public IDictionary<string, string> Environment { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How long one run may take before its process group is stopped and the task fails as timed out; null for no limit.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>The nice value of the task's processes, -20 (highest priority) to 19 (lowest); null inherits the worker's.</summary>
    public int? Nice { get; set; }

    /// <summary>After SIGTERM (cancel, timeout, worker stop), how long the process group has before SIGKILL. Default 5 s.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most bytes of JSON the program may write on standard output; more fails the task. Default 1 MiB.</summary>
    public int MaxResultBytes { get; set; } = DefaultMaxResultBytes;

    /// <summary>Null when these options can run; else what is wrong, naming the setting and the value.</summary>
    public string? Problem()
    {
        if (Command.Count == 0 || string.IsNullOrWhiteSpace(Command[0])) return "command is empty: give the program and its arguments, e.g. [\"python3\", \"/srv/render.py\"]";
        if (Command.FirstOrDefault(word => word.Contains('\0')) is { } nul) return $"command word \"{nul.Replace("\0", "\\0")}\" contains a NUL character";
        if (WorkingDirectory is { } directory && (directory.Length == 0 || directory.Contains('\0')))
            return $"working-directory \"{directory}\" is not a directory path";
        foreach (var (name, value) in Environment)
        {
            if (name.Length == 0 || name.Contains('=') || name.Contains('\0')) return $"environment variable \"{name}\" is not a variable name (empty, or with '=' or NUL)";
            if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
                return $"environment variable \"{name}\" is reserved: the worker sets {ReservedPrefix}TASK_ID, _TASK_NAME, _USER and _ATTEMPT itself";
            if (value is null || value.Contains('\0')) return $"environment variable \"{name}\" has no value or contains NUL";
        }
        if (Timeout is { } timeout && timeout <= TimeSpan.Zero) return $"timeout {Describe(timeout)} is not positive; leave it unset for no limit";
        if (Nice is { } nice && nice is < -20 or > 19) return $"nice {nice.ToString(CultureInfo.InvariantCulture)} is outside -20..19";
        if (StopGrace <= TimeSpan.Zero) return $"stop grace {Describe(StopGrace)} is not positive";
        if (MaxResultBytes < 1) return $"max result bytes {MaxResultBytes.ToString(CultureInfo.InvariantCulture)} is not positive";
        return null;
    }

    internal ProcessHandlerOptions Copy()
    {
        var copy = new ProcessHandlerOptions(Command)
        {
            WorkingDirectory = WorkingDirectory, Timeout = Timeout, Nice = Nice, StopGrace = StopGrace, MaxResultBytes = MaxResultBytes,
        };
        foreach (var (name, value) in Environment) copy.Environment[name] = value;
        return copy;
    }

    internal static string Describe(TimeSpan span) => WorkerHubOptions.Describe(span);
}
