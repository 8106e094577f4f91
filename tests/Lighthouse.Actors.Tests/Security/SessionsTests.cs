using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Security;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Security;

/// <summary>The session handshake without an ActorSystem: who gets a token, and what a token is good for.</summary>
public sealed class SessionsTests
{
    private static readonly TestAuthority Ours = TestAuthority.Shared;
    private readonly TlsCredentials _host = Ours.Credentials(LighthouseRole.Host, "h1");
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private Sessions NewSessions(int capacity = Sessions.DefaultCapacity) => new(_host, _clock, capacity: capacity);

    [Fact]
    public void A_proof_made_with_the_certificates_key_opens_a_session_for_its_identity()
    {
        var sessions = NewSessions();
        var alice = Ours.Credentials(LighthouseRole.Client, "ci", "alice");

        var session = sessions.Open(SessionProof.Create(alice, _clock), out var problem);

        Assert.Null(problem);
        Assert.NotNull(session);
        Assert.Equal(alice.Identity.ToString(), session.Identity.ToString());
        Assert.True(session.Token.Length >= 40, session.Token);
        Assert.Same(session, sessions.Find(session.Token));
    }

    [Fact]
    public void A_replayed_proof_is_refused()
    {
        var sessions = NewSessions();
        var proof = SessionProof.Create(Ours.Credentials(LighthouseRole.Worker, "w1"), _clock);
        Assert.NotNull(sessions.Open(proof, out _));

        Assert.Null(sessions.Open(proof, out var problem));
        Assert.Contains("replay", problem);
    }

    [Fact]
    public void A_proof_signed_by_another_key_than_the_certificates_is_refused()
    {
        var sessions = NewSessions();
        var alice = Ours.Credentials(LighthouseRole.Client, "ci", "alice");
        var mallory = Ours.Credentials(LighthouseRole.Client, "m", "mallory");
        // Alice's certificate (public, seen on every TLS handshake), signed with mallory's key.
        var forged = SessionProof.Create(mallory, _clock) with { Certificate = alice.Certificate.RawData };

        Assert.Null(sessions.Open(forged, out var problem));
        Assert.Contains("not signed with that certificate's key", problem);
    }

    [Fact]
    public void A_certificate_of_another_authority_is_refused()
    {
        var sessions = NewSessions();
        var stranger = new TestAuthority("other CA").Credentials(LighthouseRole.Admin, "root");

        Assert.Null(sessions.Open(SessionProof.Create(stranger, _clock), out var problem));
        Assert.Contains("not accepted", problem);
    }

    [Fact]
    public void A_proof_made_too_long_ago_or_ahead_is_refused()
    {
        var sessions = NewSessions();
        var worker = Ours.Credentials(LighthouseRole.Worker, "w1");
        var old = SessionProof.Create(worker, _clock);
        _clock.Advance(TimeSpan.FromMinutes(6));

        Assert.Null(sessions.Open(old, out var problem));
        Assert.Contains("clock", problem);
        var ahead = SessionProof.Create(worker, new ManualTimeProvider(_clock.GetUtcNow() + TimeSpan.FromMinutes(6)));
        Assert.Null(sessions.Open(ahead, out problem));
    }

    [Fact]
    public void A_token_expires_and_unknown_tokens_find_nothing()
    {
        var sessions = new Sessions(_host, _clock, lifetime: TimeSpan.FromHours(1));
        var session = sessions.Open(SessionProof.Create(Ours.Credentials(LighthouseRole.Worker, "w1"), _clock), out _)!;

        Assert.Null(sessions.Find("no such token"));
        Assert.Null(sessions.Find(null));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(sessions.Find(session.Token));
    }

    [Fact]
    public void Beyond_its_capacity_the_oldest_session_goes()
    {
        var sessions = NewSessions(capacity: 2);
        var worker = Ours.Credentials(LighthouseRole.Worker, "w1");
        var first = sessions.Open(SessionProof.Create(worker, _clock), out _)!;
        var second = sessions.Open(SessionProof.Create(worker, _clock), out _)!;
        _clock.Advance(TimeSpan.FromMinutes(11)); // the nonces age out; the sessions do not
        var third = sessions.Open(SessionProof.Create(worker, _clock), out _)!;

        Assert.Null(sessions.Find(first.Token));
        Assert.NotNull(sessions.Find(second.Token));
        Assert.NotNull(sessions.Find(third.Token));
        Assert.Equal(2, sessions.Count);
    }

    [Fact]
    public void Handshakes_beyond_the_nonce_memory_are_refused_rather_than_forgetting_a_nonce()
    {
        var sessions = NewSessions(capacity: 2);
        var worker = Ours.Credentials(LighthouseRole.Worker, "w1");
        var first = SessionProof.Create(worker, _clock);
        Assert.NotNull(sessions.Open(first, out _));
        Assert.NotNull(sessions.Open(SessionProof.Create(worker, _clock), out _));

        Assert.Null(sessions.Open(SessionProof.Create(worker, _clock), out var problem));
        Assert.Contains("handshakes", problem);
        Assert.Null(sessions.Open(first, out _));
    }
}
