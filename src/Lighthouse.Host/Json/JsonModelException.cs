namespace Lighthouse.Host.Json;

/// <summary>
/// JSON input that does not fit the placement model: wrong type, unknown field, bad quantity, …
/// The message names where (the item and its JSON location, e.g. <c>node "n3" (nodes[2])</c>) and what is wrong,
/// so a caller can show it as is; <see cref="Location"/> is the where alone.
/// </summary>
public sealed class JsonModelException(string location, string problem, Exception? cause = null)
    : FormatException(location.Length == 0 ? problem : $"{location}: {problem}", cause)
{
    public string Location { get; } = location;
}
