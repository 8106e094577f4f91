namespace Lighthouse.Protocol;

// The downing lease, asked for by a member that has no way to the lease's store. With lease-majority (several scheduler
// hosts on PostgreSQL, docs/durability.md), the split-brain resolver of the cluster's leader takes a lease before it downs
// anyone, and the leader may be a worker, which has no database credentials. Its lease (DelegatedLease) asks a scheduler
// host it can reach to take the lease for it (DowningLeaseKeeper at LighthouseNames.DowningLeaseKeeperPath); a worker
// that reaches no host gets no lease, and its side is downed.

/// <summary>Take the downing lease <paramref name="LeaseName"/> for <paramref name="Owner"/> (the asking member's address and uid). Answered by <see cref="DowningLeaseAnswer"/>.</summary>
public sealed record AcquireDowningLease(string LeaseName, string Owner);

/// <summary>Give up the downing lease <paramref name="LeaseName"/> if <paramref name="Owner"/> holds it. Answered by <see cref="DowningLeaseAnswer"/>.</summary>
public sealed record ReleaseDowningLease(string LeaseName, string Owner);

/// <summary>Whether <paramref name="Owner"/> holds the downing lease <paramref name="LeaseName"/> now.</summary>
public sealed record DowningLeaseAnswer(string LeaseName, string Owner, bool Held);
