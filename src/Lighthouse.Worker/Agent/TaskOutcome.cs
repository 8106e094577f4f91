namespace Lighthouse.Worker.Agent;

/// <summary>How one run of a handler ended, as the agent reports it.</summary>
internal abstract record TaskOutcome
{
    /// <summary>The handler returned valid JSON.</summary>
    public sealed record Succeeded(string Result) : TaskOutcome;

    /// <summary>The handler threw, timed out, returned something that is not JSON, or the task could not start; <see cref="Error"/> says which.</summary>
    public sealed record Failed(string Error) : TaskOutcome;

    /// <summary>The handler stopped on its cancellation token.</summary>
    public sealed record Stopped : TaskOutcome;
}
