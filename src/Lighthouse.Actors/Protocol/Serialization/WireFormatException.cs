namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// Bytes that do not decode: truncated, corrupt, or not written by this serializer. Thrown by
/// <see cref="WireReader"/> and turned by <see cref="LighthouseSerializer"/> into a
/// <see cref="System.Runtime.Serialization.SerializationException"/> that names the manifest.
/// </summary>
internal sealed class WireFormatException(string message) : Exception(message);
