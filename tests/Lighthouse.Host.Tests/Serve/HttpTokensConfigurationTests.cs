using Lighthouse.Host.Serve;
using Lighthouse.Host.Web.Access;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Serve;

/// <summary><c>lighthouse.host.http.tokens</c> in a config file: what it reads, and each mistake refused naming its entry and key.</summary>
public sealed class HttpTokensConfigurationTests
{
    private static readonly string AliceHash = ApiToken.Sha256Of("alice-secret");

    [Fact]
    public void Tokens_are_read_in_clear_or_as_their_sha256_for_a_user_or_as_admin()
    {
        using var file = new TempFile($$"""
            lighthouse.host.http.tokens = [
              { token = "bob-secret", user = bob }
              { token-sha256 = "{{AliceHash.ToUpperInvariant()}}", user = "alice" }
              { token = "root-secret", admin = on }
            ]
            """);

        var http = Settings(file).Http!;

        Assert.Equal(
            [new ApiToken(Token: "bob-secret", User: "bob"), new ApiToken(TokenSha256: AliceHash.ToUpperInvariant(), User: "alice"), new ApiToken(Token: "root-secret", Admin: true)],
            http.Tokens!);
        Assert.True(http.HasTokens);
    }

    [Fact]
    public void By_default_there_are_no_tokens() =>
        Assert.False(Settings(null).Http!.HasTokens);

    [Theory]
    [InlineData("""tokens = [{ token = "", user = alice }]""", "lighthouse.host.http.tokens[0]: token is empty or contains white space")]
    [InlineData("""tokens = [{ token = "x", token-sha256 = "00", user = alice }]""", "lighthouse.host.http.tokens[0]: give token or token-sha256, not both")]
    [InlineData("""tokens = [{ user = alice }]""", "lighthouse.host.http.tokens[0]: has no secret: give token = \"...\" or token-sha256 = \"<64 hex digits>\"")]
    [InlineData("""tokens = [{ token = "x" }]""", "lighthouse.host.http.tokens[0]: stands for nobody: give user = \"NAME\" or admin = on")]
    [InlineData("""tokens = [{ token = "x", admin = off }]""", "lighthouse.host.http.tokens[0]: stands for nobody: give user = \"NAME\" or admin = on")]
    [InlineData("""tokens = [{ token = "x", user = a }, { token-sha256 = "xyz", user = b }]""", "lighthouse.host.http.tokens[1]: token-sha256 = \"xyz\" is not a SHA-256 in hex (64 digits 0-9, a-f)")]
    [InlineData("""tokens = [{ token = "x", user = "   " }]""", "lighthouse.host.http.tokens[0]: user is empty")]
    [InlineData("""tokens = [{ token = "x", admin = maybe }]""", "lighthouse.host.http.tokens[0].admin = \"maybe\": not on or off")]
    [InlineData("""tokens = [{ token = "x", users = [a, b] }]""", "lighthouse.host.http.tokens[0]: unknown key \"users\"; the keys are token, token-sha256, user, admin")]
    [InlineData("""tokens = [{ token = "x", user = a }, { token = "x", user = b }]""", "lighthouse.host.http.tokens[1] has the same secret as tokens[0]; give each token its own")]
    [InlineData("""tokens = ["x"]""", "lighthouse.host.http.tokens[0] is not an object such as { token = \"...\", user = \"NAME\" }")]
    [InlineData("""tokens = "x" """, "lighthouse.host.http.tokens must be a list of { token = \"...\", user = \"NAME\" } or { token = \"...\", admin = on }")]
    public void A_token_entry_that_cannot_work_is_refused_naming_the_file_and_the_key(string line, string message)
    {
        using var file = new TempFile("lighthouse.host.http." + line);

        var error = Assert.Throws<ServeConfigurationException>(() => Settings(file));

        Assert.Equal($"--config \"{file.Path}\": {message}", error.Message);
    }

    [Fact]
    public void A_user_name_over_the_limit_is_refused()
    {
        using var file = new TempFile($$"""lighthouse.host.http.tokens = [{ token = "x", user = "{{new string('u', 201)}}" }]""");

        Assert.Contains("lighthouse.host.http.tokens[0]: user \"uuuu", Assert.Throws<ServeConfigurationException>(() => Settings(file)).Message);
    }

    [Fact]
    public void A_public_http_address_with_only_user_tokens_is_accepted()
    {
        using var file = new TempFile("""lighthouse.host.http { hostname = "0.0.0.0", tokens = [{ token = "x", user = alice }] }""");

        Assert.Equal("0.0.0.0", Settings(file).Http!.Address);
    }

    [Fact]
    public void A_bad_token_entry_stops_lighthouse_serve_with_exit_2()
    {
        using var file = new TempFile("""lighthouse.host.http.tokens = [{ token = "x" }]""");

        var run = CommandLineRun.Of("serve", "--config", file.Path, "--port", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"lighthouse serve: --config \"{file.Path}\": lighthouse.host.http.tokens[0]: stands for nobody: give user = \"NAME\" or admin = on\n", run.Stderr);
    }

    private static HostSettings Settings(TempFile? file)
    {
        var arguments = new ServeArguments(ConfigFile: file?.Path);
        return HostSettings.From(HostConfiguration.Compose(arguments, new Dictionary<string, string>()), arguments.ConfigFile);
    }
}
