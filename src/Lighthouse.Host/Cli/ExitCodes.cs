namespace Lighthouse.Host.Cli;

/// <summary>What every <c>lighthouse</c> command returns, so scripts can tell "it ran" from "you asked wrongly".</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad input: an unknown command or option, a missing or unreadable file, a scenario the engine refuses.</summary>
    public const int BadInput = 2;
}
