using Lighthouse.Worker.Processes;

namespace Lighthouse.Worker.Cli;

/// <summary>A process handler of the runnable worker, from <c>--exec</c> or <c>lighthouse.worker.exec</c>; <see cref="Where"/> names the source for errors.</summary>
public sealed record ExecHandler(string TaskName, ProcessHandlerOptions Options, string Where);
