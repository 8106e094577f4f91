namespace Lighthouse.Worker.Cli;

/// <summary>Bad input to <c>lighthouse-worker</c>: the message names the option or key, and the value.</summary>
public sealed class WorkerUsageException(string message) : Exception(message);
