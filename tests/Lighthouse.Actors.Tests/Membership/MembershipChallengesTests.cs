using Akka.Actor;
using Lighthouse.Actors.Tests.Security;
using Lighthouse.Membership;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Actors.Tests.Membership;

/// <summary>The guard's book of challenges, on a clock the test moves: retries, the deadline, answers matched by nonce.</summary>
public sealed class MembershipChallengesTests
{
    private static readonly TestAuthority Ours = TestAuthority.Shared;
    private static readonly TlsCredentials Host = Ours.Credentials(LighthouseRole.Host, "h1");
    private static readonly TlsCredentials Worker = Ours.Credentials(LighthouseRole.Worker, "w1");
    private static readonly Address Member = Address.Parse("akka.ssl.tcp://lighthouse@127.0.0.1:4100");
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] WorkerRoles = [LighthouseNames.WorkerRole];

    private static MembershipChallenges Book() => new(Host, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    [Fact]
    public void A_member_is_challenged_once_however_often_its_status_changes()
    {
        var book = Book();

        Assert.NotNull(book.Begin(Member, WorkerRoles, Start));
        Assert.Null(book.Begin(Member, WorkerRoles, Start.AddSeconds(1)));
        Assert.Equal(1, book.PendingCount);
    }

    [Fact]
    public void A_valid_answer_admits_the_member_and_it_is_not_challenged_again()
    {
        var book = Book();
        var nonce = book.Begin(Member, WorkerRoles, Start)!;

        var verdict = book.Answer(MemberProof.Create(Worker, nonce, Member.ToString()));

        Assert.True(verdict?.Admitted);
        Assert.Contains(Member, book.Admitted);
        Assert.Null(book.Begin(Member, WorkerRoles, Start.AddSeconds(2)));
        Assert.Empty(book.Due(Start.AddSeconds(30)).Expired);
    }

    [Fact]
    public void An_answer_to_no_open_challenge_settles_nothing()
    {
        var book = Book();
        book.Begin(Member, WorkerRoles, Start);

        Assert.Null(book.Answer(MemberProof.Create(Worker, MemberProof.NewNonce(), Member.ToString())));
        Assert.Null(book.Answer(new MembershipProof([1, 2], [], [])));
        Assert.Equal(1, book.PendingCount);
    }

    [Fact]
    public void A_wrong_answer_refuses_the_member_at_once()
    {
        var book = Book();
        var nonce = book.Begin(Member, [LighthouseNames.SchedulerRole], Start)!;

        var verdict = book.Answer(MemberProof.Create(Worker, nonce, Member.ToString()));

        Assert.False(verdict?.Admitted);
        Assert.Contains("needs a host certificate", verdict!.Refusal);
        Assert.Equal(Member, verdict.Member);
        Assert.Equal(0, book.PendingCount);
    }

    [Fact]
    public void A_silent_member_is_challenged_again_each_interval_and_refused_at_the_deadline()
    {
        var book = Book();
        var nonce = book.Begin(Member, WorkerRoles, Start)!;

        Assert.Empty(book.Due(Start.AddMilliseconds(500)).Resend);
        var (resend, expired) = book.Due(Start.AddSeconds(1));
        Assert.Equal(nonce, Assert.Single(resend).Nonce);
        Assert.Empty(expired);
        Assert.Empty(book.Due(Start.AddSeconds(1.5)).Resend);

        var late = Assert.Single(book.Due(Start.AddSeconds(10)).Expired);
        Assert.Contains("did not prove its membership within 10 s", late.Refusal);
        Assert.Null(book.Answer(MemberProof.Create(Worker, nonce, Member.ToString())));
    }

    [Fact]
    public void A_removed_member_is_forgotten_and_a_new_one_at_its_address_is_challenged_afresh()
    {
        var book = Book();
        var first = book.Begin(Member, WorkerRoles, Start)!;
        book.Answer(MemberProof.Create(Worker, first, Member.ToString()));

        book.Forget(Member);

        Assert.DoesNotContain(Member, book.Admitted);
        var second = book.Begin(Member, WorkerRoles, Start.AddSeconds(5));
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
    }
}
