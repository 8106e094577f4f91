namespace Lighthouse.Host.Cli;

/// <summary>An input document that could not be read; the message names the path and why.</summary>
public sealed class InputTextException(string message, Exception? cause = null) : IOException(message, cause);
