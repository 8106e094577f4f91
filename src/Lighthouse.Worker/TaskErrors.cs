namespace Lighthouse.Worker;

/// <summary>How a handler's exception becomes the task's error text.</summary>
public static class TaskErrors
{
    /// <summary>
    /// A deliberate failure (<see cref="TaskFailedException"/> or a plain <see cref="Exception"/>) reads as its
    /// message alone; anything else is an unexpected crash, so its type name goes in front
    /// (<c>InvalidOperationException: Sequence contains no elements</c>). A single inner exception of an
    /// <see cref="AggregateException"/> speaks for it; an empty message leaves the type name.
    /// </summary>
    public static string Describe(Exception exception)
    {
        if (exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
            return Describe(aggregate.InnerExceptions[0]);
        var message = exception.Message.Trim();
        var type = exception.GetType();
        var deliberate = type == typeof(TaskFailedException) || type == typeof(Exception);
        if (message.Length == 0) return type.Name;
        return deliberate ? message : $"{type.Name}: {message}";
    }
}
