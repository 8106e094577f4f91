using System.Security.Cryptography;
using System.Text;

namespace Lighthouse.Host.Web.Access;

/// <summary>
/// The configured tokens, kept as SHA-256 digests only. A presented token is hashed and compared with every digest in
/// constant time, all of them every time, so the answer's timing tells nothing about a guess or about which entry matched.
/// </summary>
internal sealed class ApiTokens
{
    private readonly (byte[] Digest, ApiCaller Caller)[] _entries;

    public ApiTokens(IEnumerable<ApiToken> tokens) =>
        _entries = tokens.Select(t => (t.Digest(), t.Caller)).ToArray();

    /// <summary>The tokens of <paramref name="options"/>: its <see cref="WebOptions.Tokens"/>, and its <see cref="WebOptions.BearerToken"/> as an admin token.</summary>
    public static ApiTokens Of(WebOptions options) =>
        new((options.BearerToken is { } bearer ? [ApiToken.ForAdmin(bearer)] : Array.Empty<ApiToken>()).Concat(options.Tokens ?? []));

    /// <summary>False when no token is configured: every request then acts as admin, as before tokens existed.</summary>
    public bool Required => _entries.Length > 0;

    /// <summary>Whom <paramref name="presented"/> stands for, or null when it matches no configured token.</summary>
    public ApiCaller? Find(string presented)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiCaller? found = null;
        foreach (var (expected, caller) in _entries)
        {
            // No early exit: every entry is compared whatever matched (the config refuses two entries with one secret).
            if (CryptographicOperations.FixedTimeEquals(digest, expected)) found = caller;
        }
        return found;
    }
}
