using System.Security.Cryptography;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Scheduling;

/// <summary>One open session: the token its holder wraps messages with, who proved to hold it, and until when it is good.</summary>
internal sealed record Session(string Token, CertificateIdentity Identity, DateTimeOffset ExpiresAt);

/// <summary>
/// The scheduler's open sessions (in memory only: a scheduler that restarts or moves forgets them, and every holder
/// opens a new one when told <see cref="NotAuthorized.SessionUnknown"/>). <see cref="Open"/> checks an
/// <see cref="OpenSession"/> (<see cref="SessionProof.Verify"/>, then that its nonce was not seen within the clock
/// window) and hands out a random token; <see cref="Find"/> is the one dictionary look-up each <see cref="Authorized"/>
/// costs afterwards. Bounded: at most <see cref="Capacity"/> sessions (the oldest go first) and as many remembered
/// nonces (beyond that, handshakes are refused until old ones age out, rather than forgetting a nonce that could
/// then be replayed).
/// </summary>
internal sealed class Sessions(TlsCredentials credentials, TimeProvider clock, TimeSpan? lifetime = null, int capacity = Sessions.DefaultCapacity)
{
    /// <summary>How long a session lasts; its holder opens a new one when it is told the token is unknown.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(12);

    /// <summary>The most sessions kept (and nonces remembered) at once.</summary>
    public const int DefaultCapacity = 100_000;

    // A nonce must be remembered as long as a proof carrying it could pass the clock check: it arrived at most
    // MaxClockSkew after it was made, and passes until MaxClockSkew after that.
    private static readonly TimeSpan NonceMemory = 2 * SessionProof.MaxClockSkew;

    private readonly TimeSpan _lifetime = lifetime ?? DefaultLifetime;
    private readonly Dictionary<string, Session> _byToken = new(StringComparer.Ordinal);
    // In the order opened, which is expiry order (one lifetime for all): the front is the oldest and the first to expire.
    private readonly Queue<Session> _opened = new();
    private readonly HashSet<string> _nonces = new(StringComparer.Ordinal);
    private readonly Queue<(DateTimeOffset ForgetAt, string Nonce)> _nonceOrder = new();

    public int Capacity { get; } = capacity;

    /// <summary>Sessions live now (expired ones not yet found are counted until they are swept).</summary>
    public int Count => _byToken.Count;

    /// <summary>Opens a session for the proof's holder, or returns null with <paramref name="problem"/> saying why not.</summary>
    public Session? Open(OpenSession proof, out string? problem)
    {
        var now = clock.GetUtcNow();
        Sweep(now);
        var identity = SessionProof.Verify(proof, credentials, now, out problem);
        if (identity is null) return null;
        var nonce = Convert.ToBase64String(proof.Nonce);
        if (_nonces.Contains(nonce))
        {
            problem = "the session proof was used before (a replay): each OpenSession needs a fresh nonce";
            return null;
        }
        if (_nonces.Count >= Capacity)
        {
            problem = $"more than {Capacity} session handshakes within {NonceMemory.TotalMinutes:0} minutes; try again later";
            return null;
        }
        _nonces.Add(nonce);
        _nonceOrder.Enqueue((now + NonceMemory, nonce));
        while (_byToken.Count >= Capacity && _opened.TryDequeue(out var oldest)) _byToken.Remove(oldest.Token);
        var session = new Session(Base64Url(RandomNumberGenerator.GetBytes(32)), identity, now + _lifetime);
        _byToken.Add(session.Token, session);
        _opened.Enqueue(session);
        return session;
    }

    /// <summary>The live session of <paramref name="token"/>, or null when it is unknown or expired.</summary>
    public Session? Find(string? token)
    {
        if (token is null || !_byToken.TryGetValue(token, out var session)) return null;
        if (session.ExpiresAt > clock.GetUtcNow()) return session;
        _byToken.Remove(token);
        return null;
    }

    private void Sweep(DateTimeOffset now)
    {
        while (_opened.TryPeek(out var oldest) && (oldest.ExpiresAt <= now || !_byToken.ContainsKey(oldest.Token)))
        {
            _opened.Dequeue();
            _byToken.Remove(oldest.Token);
        }
        while (_nonceOrder.TryPeek(out var entry) && entry.ForgetAt <= now)
        {
            _nonceOrder.Dequeue();
            _nonces.Remove(entry.Nonce);
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
