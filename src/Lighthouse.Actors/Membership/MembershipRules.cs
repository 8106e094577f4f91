using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Membership;

/// <summary>
/// Which certificates may be a cluster member with which roles, and the whole check of a member's answer to a challenge.
/// The roles a member joins with are its own to write, so they are what the certificate must justify: role
/// <see cref="LighthouseNames.SchedulerRole"/> (it could run the scheduler singleton, and clients are sent to it) needs a
/// host certificate; role <see cref="LighthouseNames.WorkerRole"/> a worker or host one (a host runs a local worker). A
/// member with neither role has no business in a Lighthouse cluster, and client and admin certificates never make a
/// member: they talk to the scheduler as clients, from outside the cluster.
/// </summary>
public static class MembershipRules
{
    /// <summary>Why <paramref name="identity"/> may not be a member with <paramref name="memberRoles"/>; null when it may.</summary>
    public static string? RoleProblem(CertificateIdentity identity, IEnumerable<string> memberRoles)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(memberRoles);
        var roles = memberRoles as IReadOnlyCollection<string> ?? memberRoles.ToList();
        if (roles.Contains(LighthouseNames.SchedulerRole))
            return identity.Role == LighthouseRole.Host ? null : $"role {LighthouseNames.SchedulerRole} needs a host certificate, and it holds {identity}";
        if (roles.Contains(LighthouseNames.WorkerRole))
            return identity.Role is LighthouseRole.Worker or LighthouseRole.Host ? null : $"role {LighthouseNames.WorkerRole} needs a worker or host certificate, and it holds {identity}";
        return $"it has neither role {LighthouseNames.SchedulerRole} nor {LighthouseNames.WorkerRole} (it holds {identity}): only Lighthouse hosts and workers are members";
    }

    /// <summary>
    /// Why the member at <paramref name="memberAddress"/> with <paramref name="memberRoles"/>, challenged with
    /// <paramref name="nonce"/>, is not admitted on <paramref name="proof"/> (see <see cref="MemberProof.Verify"/> and
    /// <see cref="RoleProblem"/>); null when it is. <paramref name="identity"/> is whom the certificate names, when it could be read.
    /// </summary>
    public static string? Refusal(MembershipProof proof, byte[] nonce, string memberAddress, IEnumerable<string> memberRoles, TlsCredentials credentials, out CertificateIdentity? identity)
    {
        identity = MemberProof.Verify(proof, nonce, memberAddress, credentials, out var problem);
        return identity is null ? problem : RoleProblem(identity, memberRoles);
    }
}
