using System.Globalization;

namespace Lighthouse.Worker.Processes;

/// <summary>How a process ended: its exit code, or the signal that killed it (decoded from waitpid's status).</summary>
public sealed record ExitStatus(int? Code, int? Signal)
{
    public bool Succeeded => Code == 0;

    public static ExitStatus Exited(int code) => new(code, null);

    public static ExitStatus KilledBy(int signal) => new(null, signal);

    /// <summary>Decodes a wait status: the low 7 bits are the signal (0 for a normal exit), the next 8 the exit code.</summary>
    public static ExitStatus FromWaitStatus(int status)
    {
        var signal = status & 0x7f;
        return signal == 0 ? Exited((status >> 8) & 0xff) : KilledBy(signal);
    }

    /// <summary><c>exit code 3</c> or <c>killed by signal 9 (SIGKILL)</c>.</summary>
    public override string ToString() => Code is { } code
        ? "exit code " + code.ToString(CultureInfo.InvariantCulture)
        : $"killed by signal {Signal!.Value.ToString(CultureInfo.InvariantCulture)}{(SignalName(Signal.Value) is { } name ? $" ({name})" : "")}";

    /// <summary>The Linux name of a signal number, or null for one without a well-known name.</summary>
    public static string? SignalName(int signal) => signal switch
    {
        1 => "SIGHUP", 2 => "SIGINT", 3 => "SIGQUIT", 4 => "SIGILL", 5 => "SIGTRAP", 6 => "SIGABRT", 7 => "SIGBUS",
        8 => "SIGFPE", 9 => "SIGKILL", 10 => "SIGUSR1", 11 => "SIGSEGV", 12 => "SIGUSR2", 13 => "SIGPIPE",
        14 => "SIGALRM", 15 => "SIGTERM", 24 => "SIGXCPU", 25 => "SIGXFSZ", 31 => "SIGSYS",
        _ => null,
    };
}
