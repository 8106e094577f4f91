namespace Lighthouse.Host.Serve;

/// <summary>A configuration the host cannot start with; the message names the source (flag, variable, file or key) and the value.</summary>
public sealed class ServeConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
