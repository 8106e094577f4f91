using Akka.Configuration;
using Akka.Configuration.Hocon;
using Lighthouse.Host.Web;
using Lighthouse.Host.Web.Access;
using Lighthouse.Security;

namespace Lighthouse.Host.Serve;

/// <summary>
/// <c>lighthouse.host.http</c>: where the web monitor and API listen, their tokens, and whether they serve HTTPS with the
/// host's <c>lighthouse.tls</c> certificate. Every refusal names its key.
/// </summary>
internal static class HttpSection
{
    public const string Path = "lighthouse.host.http";
    private const string TokensKey = Path + ".tokens";
    private const string TlsKey = Path + ".tls";
    private static readonly string[] TokenFields = ["token", "token-sha256", "user", "admin"];

    /// <summary>
    /// The options, or null when <c>enabled = off</c>; <paramref name="credentials"/> are the host's loaded <c>lighthouse.tls</c>
    /// material (null without TLS). Throws <see cref="ServeConfigurationException"/> or <see cref="WebConfigurationException"/>.
    /// </summary>
    public static WebOptions? Read(Config config, TlsCredentials? credentials)
    {
        if (!HostValues.Switch(Text(config, $"{Path}.enabled"), $"{Path}.enabled")) return null;
        var token = Text(config, $"{Path}.bearer-token");
        var maxBody = config.GetByteSize($"{Path}.max-body-size")
            ?? throw new ServeConfigurationException($"{Path}.max-body-size is missing: give a size such as 1MiB");
        return new WebOptions(
            Address: HostValues.Hostname(Text(config, $"{Path}.hostname"), $"{Path}.hostname"),
            Port: HostValues.Port(Text(config, HostConfiguration.HttpPort), HostConfiguration.HttpPort),
            BearerToken: token.Length == 0 ? null : token,
            MaxBodyBytes: maxBody,
            Tokens: Tokens(config),
            // HTTPS with the host's certificate whenever it has one, unless tls = off (a proxy in front terminates TLS).
            Certificate: HostValues.Switch(Text(config, TlsKey), TlsKey) ? credentials?.Certificate : null).Validated();
    }

    /// <summary><c>tokens = [ { token = "...", user = "alice" }, { token-sha256 = "<hex>", admin = on } ]</c>, checked field by field.</summary>
    private static List<ApiToken> Tokens(Config config)
    {
        if (!config.HasPath(TokensKey)) return [];
        // Akka's HOCON keeps the white space around a list in an object as literals, and calls an empty list no array:
        // the elements themselves tell.
        var elements = config.GetValue(TokensKey).Values.Where(v => v is not HoconLiteral { Value: var text } || !string.IsNullOrWhiteSpace(text)).ToList();
        if (!elements.All(element => element is HoconArray))
            throw new ServeConfigurationException($"{TokensKey} must be a list of {{ token = \"...\", user = \"NAME\" }} or {{ token = \"...\", admin = on }}");
        var tokens = new List<ApiToken>();
        var items = elements.Cast<HoconArray>().SelectMany(list => list).ToList();
        for (var i = 0; i < items.Count; i++)
        {
            var where = $"{TokensKey}[{i}]";
            if (!items[i].IsObject())
                throw new ServeConfigurationException($"{where} is not an object such as {{ token = \"...\", user = \"NAME\" }}");
            var fields = items[i].GetObject().Items;
            foreach (var name in fields.Keys)
            {
                if (Array.IndexOf(TokenFields, name) < 0)
                    throw new ServeConfigurationException($"{where}: unknown key \"{name}\"; the keys are {string.Join(", ", TokenFields)}");
            }
            string? Field(string name) => fields.TryGetValue(name, out var field) ? field.GetString() : null;
            var admin = Field("admin") is { } flag && HostValues.Switch(flag, $"{where}.admin");
            tokens.Add(new ApiToken(Field("token"), Field("token-sha256"), Field("user"), admin));
        }
        return tokens;
    }

    private static string Text(Config config, string path) =>
        config.HasPath(path) ? config.GetString(path) ?? "" : throw new ServeConfigurationException($"{path} is missing");
}
