namespace Lighthouse.Host.Cli;

/// <summary>A <c>lighthouse certs</c> input that cannot be used (an unknown role, an unsafe name, a missing CA file); the message names the option or file.</summary>
public sealed class CertificateInputException(string message, Exception? cause = null) : Exception(message, cause);
