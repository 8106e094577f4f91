namespace Lighthouse.Security;

/// <summary>TLS settings that cannot work (a missing file, a key that does not match, a certificate from another authority); the message names the file and the problem.</summary>
public sealed class TlsConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
