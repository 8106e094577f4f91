using Microsoft.AspNetCore.Http;

namespace Lighthouse.Host.Web;

/// <summary>
/// A request that cannot be served, with the HTTP status that says why. The message is shown to the caller
/// as <c>{"error": "..."}</c>, so it names the field, key or id at fault.
/// </summary>
public sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ApiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static ApiException NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    public static ApiException Unavailable(string message) => new(StatusCodes.Status503ServiceUnavailable, message);
}
