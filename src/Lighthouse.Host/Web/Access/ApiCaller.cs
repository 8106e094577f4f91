namespace Lighthouse.Host.Web.Access;

/// <summary>
/// Who an HTTP API request acts as: one user (a user token), or every user (an admin token, or no token configured at
/// all, which keeps a loopback-only host as open as it always was).
/// </summary>
public sealed record ApiCaller(string? User, bool Admin)
{
    public static ApiCaller Administrator { get; } = new(null, true);

    public static ApiCaller ForUser(string user) => new(user, false);

    /// <summary>True when this caller may submit, read, cancel or list as <paramref name="user"/>.</summary>
    public bool MayActFor(string user) => Admin || string.Equals(User, user, StringComparison.Ordinal);

    public override string ToString() => Admin ? "admin" : $"user {User}";
}
