namespace Lighthouse.Security;

/// <summary>
/// What a Lighthouse certificate lets its holder be. Written into the certificate by <c>lighthouse certs issue</c>
/// and read back by every peer that checks it; see docs/security.md for what each may do.
/// </summary>
public enum LighthouseRole
{
    /// <summary>A scheduler host: joins the cluster with role <c>scheduler</c>, may run the scheduler and act for every user.</summary>
    Host,

    /// <summary>A worker: joins the cluster and registers only the node name written in its certificate.</summary>
    Worker,

    /// <summary>A client program: submits, reads and cancels tasks only for the users written in its certificate.</summary>
    Client,

    /// <summary>An operator's client: acts for every user and reads everything, but runs no scheduler and no worker.</summary>
    Admin,
}

/// <summary>Role names as written in certificates and on command lines (lower case).</summary>
public static class LighthouseRoles
{
    /// <summary>The role's name: <c>host</c>, <c>worker</c>, <c>client</c> or <c>admin</c>.</summary>
    public static string Name(this LighthouseRole role) => role switch
    {
        LighthouseRole.Host => "host",
        LighthouseRole.Worker => "worker",
        LighthouseRole.Client => "client",
        LighthouseRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a Lighthouse role"),
    };

    /// <summary>Reads a role name (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string? text, out LighthouseRole role)
    {
        foreach (var candidate in Enum.GetValues<LighthouseRole>())
        {
            if (string.Equals(text, candidate.Name(), StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }
        role = default;
        return false;
    }
}
