using Lighthouse.Actors.Tests.Security;
using Lighthouse.Membership;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Actors.Tests.Membership;

/// <summary>The verdict on a member's answer to a host's challenge, without an ActorSystem: the certificate, the signature, the address and the roles.</summary>
public sealed class MembershipRulesTests
{
    private const string MemberAddress = "akka.ssl.tcp://lighthouse@10.0.0.7:4053";
    private static readonly TestAuthority Ours = TestAuthority.Shared;
    private static readonly TlsCredentials Host = Ours.Credentials(LighthouseRole.Host, "h1");
    private static readonly TlsCredentials OtherHost = Ours.Credentials(LighthouseRole.Host, "h2");
    private static readonly TlsCredentials Worker = Ours.Credentials(LighthouseRole.Worker, "w1");
    private static readonly TlsCredentials Client = Ours.Credentials(LighthouseRole.Client, "ci", "alice");
    private static readonly TlsCredentials Admin = Ours.Credentials(LighthouseRole.Admin, "ops");
    private static readonly string[] Scheduler = ["dc-default", LighthouseNames.SchedulerRole];
    private static readonly string[] WorkerRoles = ["dc-default", LighthouseNames.WorkerRole];

    private static string? Judge(TlsCredentials member, IEnumerable<string> roles, Func<byte[], MembershipProof>? prove = null, string address = MemberAddress)
    {
        var nonce = MemberProof.NewNonce();
        var proof = prove is null ? MemberProof.Create(member, nonce, address) : prove(nonce);
        return MembershipRules.Refusal(proof, nonce, MemberAddress, roles, Host, out _);
    }

    [Fact]
    public void A_host_certificate_may_be_a_scheduler_member_and_a_worker_member()
    {
        Assert.Null(Judge(OtherHost, Scheduler));
        Assert.Null(Judge(OtherHost, WorkerRoles));
        Assert.Null(Judge(OtherHost, [LighthouseNames.SchedulerRole, LighthouseNames.WorkerRole]));
    }

    [Fact]
    public void A_worker_certificate_may_be_a_worker_member()
    {
        Assert.Null(Judge(Worker, WorkerRoles));
    }

    [Fact]
    public void A_worker_certificate_may_not_join_with_role_scheduler()
    {
        Assert.Contains("needs a host certificate", Judge(Worker, Scheduler));
        Assert.Contains("needs a host certificate", Judge(Worker, [LighthouseNames.SchedulerRole, LighthouseNames.WorkerRole]));
    }

    [Fact]
    public void Client_and_admin_certificates_may_not_be_members_with_any_role()
    {
        foreach (var member in new[] { Client, Admin })
        {
            Assert.Contains("needs a host certificate", Judge(member, Scheduler));
            Assert.Contains("needs a worker or host certificate", Judge(member, WorkerRoles));
            Assert.Contains("neither role", Judge(member, ["dc-default"]));
        }
    }

    [Fact]
    public void A_member_with_neither_Lighthouse_role_is_refused_whatever_its_certificate()
    {
        Assert.Contains("neither role", Judge(OtherHost, ["dc-default", "frontend"]));
    }

    [Fact]
    public void A_proof_made_for_another_address_is_refused()
    {
        // What a member gets by passing its challenge on to a genuine host: a proof for the host's own address.
        var refusal = Judge(OtherHost, Scheduler, address: "akka.ssl.tcp://lighthouse@10.0.0.8:4053");

        Assert.Contains("not signed with that certificate's key for this challenge and the address " + MemberAddress, refusal);
    }

    [Fact]
    public void A_proof_for_another_nonce_is_refused()
    {
        Assert.Contains("another challenge", Judge(OtherHost, Scheduler, _ => MemberProof.Create(OtherHost, MemberProof.NewNonce(), MemberAddress)));
    }

    [Fact]
    public void A_damaged_signature_is_refused()
    {
        var refusal = Judge(OtherHost, Scheduler, nonce =>
        {
            var proof = MemberProof.Create(OtherHost, nonce, MemberAddress);
            var signature = (byte[])proof.Signature.Clone();
            signature[^1] ^= 1;
            return proof with { Signature = signature };
        });

        Assert.Contains("not signed", refusal);
    }

    [Fact]
    public void A_host_certificate_with_a_signature_by_another_key_is_refused()
    {
        // A worker that copied a host's certificate (public) but holds only its own key.
        var refusal = Judge(Worker, Scheduler, nonce => MemberProof.Create(Worker, nonce, MemberAddress) with { Certificate = OtherHost.Certificate.RawData });

        Assert.Contains("not signed", refusal);
    }

    [Fact]
    public void A_certificate_of_another_CA_is_refused()
    {
        var stranger = new TestAuthority("other CA").Credentials(LighthouseRole.Host, "h1");

        Assert.Contains("is not accepted", Judge(stranger, Scheduler));
    }

    [Fact]
    public void A_proof_without_a_readable_certificate_is_refused()
    {
        Assert.Contains("cannot be read", Judge(OtherHost, Scheduler, nonce => MemberProof.Create(OtherHost, nonce, MemberAddress) with { Certificate = [1, 2, 3] }));
    }
}
