using Microsoft.AspNetCore.Http;

namespace Lighthouse.Host.Web;

/// <summary>
/// A request that cannot be served, with the HTTP status that says why. The message is shown to the caller
/// as <c>{"error": "..."}</c>, so it names the field, key or id at fault.
/// </summary>
public sealed class ApiException(int status, string message, Exception? cause = null) : Exception(message, cause)
{
    public int Status { get; } = status;

    public static ApiException BadRequest(string message, Exception? cause = null) => new(StatusCodes.Status400BadRequest, message, cause);

    public static ApiException Unavailable(string message, Exception? cause = null) => new(StatusCodes.Status503ServiceUnavailable, message, cause);
}
