namespace Lighthouse.Host.Cli;

/// <summary>
/// The exit codes of the client commands beyond <see cref="ExitCodes"/>: 0 success and 2 bad input (anything wrong
/// with the command line itself, found before the host is contacted) mean the same as for every command.
/// </summary>
public static class ClientExitCodes
{
    /// <summary>
    /// The operation failed: the host could not be reached or did not answer within <c>--timeout</c>, the task id is
    /// unknown, the scheduler rejected the submission or denied permission (another user's task, a TLS certificate's
    /// role or users), or (when waiting) the task ended <c>failed</c>.
    /// </summary>
    public const int OperationFailed = 1;

    /// <summary>When waiting: the task ended <c>cancelled</c>.</summary>
    public const int TaskCancelled = 3;

    /// <summary>Interrupted (Ctrl-C) while waiting; 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit codes as every client command's help lists them.</summary>
    public const string Help =
        """
        Exit codes: 0 done; 1 the operation failed: the host could not be reached or did not answer within --timeout,
        the task id is unknown, the scheduler rejected the submission or denied permission, or a waited-for task failed; 2 bad input: an
        unknown option, a malformed --payload, --require, --host or --timeout (nothing is sent); 3 a waited-for task was
        cancelled. Errors are one line on stderr.
        """;
}
