namespace Lighthouse.Worker;

/// <summary>
/// Throw this from a handler to fail the task with exactly <see cref="Exception.Message"/> as its error.
/// Any other exception also fails the task; see <see cref="TaskErrors"/> for how its error reads.
/// </summary>
public sealed class TaskFailedException : Exception
{
    public TaskFailedException(string message) : base(message) { }

    public TaskFailedException(string message, Exception inner) : base(message, inner) { }
}
