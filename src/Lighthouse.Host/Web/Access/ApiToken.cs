using System.Security.Cryptography;
using System.Text;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Web.Access;

/// <summary>
/// One configured HTTP API token (<c>lighthouse.host.http.tokens</c>): its secret, in clear (<paramref name="Token"/>) or
/// as the hex SHA-256 of its UTF-8 bytes (<paramref name="TokenSha256"/>, so the config file need not hold it), and whom it
/// stands for: one <paramref name="User"/>, or every user with <paramref name="Admin"/>. Exactly one of each pair.
/// </summary>
public sealed record ApiToken(string? Token = null, string? TokenSha256 = null, string? User = null, bool Admin = false)
{
    /// <summary>A token for one user, in clear.</summary>
    public static ApiToken ForUser(string token, string user) => new(Token: token, User: user);

    /// <summary>An admin token, in clear.</summary>
    public static ApiToken ForAdmin(string token) => new(Token: token, Admin: true);

    /// <summary>The hex SHA-256 that <see cref="TokenSha256"/> takes for <paramref name="token"/> (what an operator puts in the config).</summary>
    public static string Sha256Of(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Who a request carrying this token is.</summary>
    public ApiCaller Caller => Admin ? ApiCaller.Administrator : ApiCaller.ForUser(User!);

    /// <summary>Null when usable; else what is wrong, naming the field (token, token-sha256, user, admin).</summary>
    public string? Problem()
    {
        if (Token is not null && TokenSha256 is not null)
            return "give token or token-sha256, not both";
        if (Token is null && TokenSha256 is null)
            return "has no secret: give token = \"...\" or token-sha256 = \"<64 hex digits>\"";
        if (Token is not null && (Token.Length == 0 || Token.Any(char.IsWhiteSpace)))
            return "token is empty or contains white space";
        if (TokenSha256 is not null && (TokenSha256.Length != 64 || !TokenSha256.All(Uri.IsHexDigit)))
            return $"token-sha256 = \"{TokenSha256}\" is not a SHA-256 in hex (64 digits 0-9, a-f)";
        if (Admin && User is not null)
            return $"is both admin and for user \"{User}\": an admin token acts for every user; give one or the other";
        if (!Admin && User is null)
            return "stands for nobody: give user = \"NAME\" or admin = on";
        if (User is not null && NameRules.Problem(User, "user") is { } bad)
            return bad;
        return null;
    }

    /// <summary>The SHA-256 of the secret, which is all the server keeps and compares.</summary>
    internal byte[] Digest() => Token is not null ? SHA256.HashData(Encoding.UTF8.GetBytes(Token)) : Convert.FromHexString(TokenSha256!);

    /// <summary>Never the secret: a token printed in a log or an exception names only whom it is for.</summary>
    public override string ToString() => Admin ? "ApiToken { admin }" : $"ApiToken {{ user = {User} }}";
}
