namespace Lighthouse.Host.Json;

/// <summary>
/// JSON input that does not fit the placement model: wrong type, unknown field, bad quantity, …
/// The message names where (the item and its JSON location, e.g. <c>node "n3" (nodes[2])</c>) and what is wrong,
/// so a caller can show it as is; <see cref="Location"/> and <see cref="Problem"/> are there for callers that
/// report the two apart (an HTTP API's error body).
/// </summary>
public sealed class JsonModelException(string location, string problem)
    : FormatException(location.Length == 0 ? problem : $"{location}: {problem}")
{
    public string Location { get; } = location;

    public string Problem { get; } = problem;
}
