namespace Lighthouse.Host.Cli;

/// <summary>A client command's input is unusable (found before anything is sent); the message names the option and value.</summary>
public sealed class ClientInputException(string message, Exception? cause = null) : Exception(message, cause);
