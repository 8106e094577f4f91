using System.Text.Json;

namespace Lighthouse.Host.Tests.Client;

/// <summary><c>lighthouse users</c>, <c>users set</c> and <c>users reset</c> in-process against an in-test host (plaintext: the caller is admin).</summary>
public sealed class UsersCommandTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ClientCli _cli = new(fixture);

    [Fact]
    public void Set_list_and_reset_a_users_weight_and_quota()
    {
        var user = ClientCli.NewUser();

        var set = _cli.Run("users", "set", user, "--weight", "2.5", "--max-running", "4");
        var list = _cli.Run("users");
        var json = _cli.Run("users", "--json");
        var off = _cli.Run("users", "set", user, "--max-running", "off", "--json");
        var reset = _cli.Run("users", "reset", user);

        Assert.Equal((0, "", $"user {user}: weight 2.5, max running 4 (set at runtime)\n"), (set.ExitCode, set.Stderr, set.Stdout.ReplaceLineEndings("\n")));
        Assert.StartsWith("default weight: 1, default max running: off", list.Stdout);
        Assert.Matches($"(?m)^{user} +2\\.5 +4 +yes\\r?$", list.Stdout);
        using var document = JsonDocument.Parse(json.Stdout);
        var mine = Assert.Single(document.RootElement.GetProperty("users").EnumerateArray(), u => u.GetProperty("user").GetString() == user);
        Assert.Equal(["user", "weight", "max_running", "set_at_runtime"], mine.EnumerateObject().Select(p => p.Name));
        Assert.Equal((2.5m, 4, true), (mine.GetProperty("weight").GetDecimal(), mine.GetProperty("max_running").GetInt32(), mine.GetProperty("set_at_runtime").GetBoolean()));
        Assert.Equal(0, off.ExitCode);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(off.Stdout).RootElement.GetProperty("max_running").ValueKind);
        Assert.Equal((0, $"user {user}: weight 1, max running off (as configured)\n"), (reset.ExitCode, reset.Stdout.ReplaceLineEndings("\n")));
        Assert.DoesNotContain(user, _cli.Run("users").Stdout);
    }

    [Theory]
    [InlineData(new[] { "--weight", "lots" }, "--weight \"lots\" is not a number: give one from 0.01 to 1000, or default")]
    [InlineData(new[] { "--max-running", "0" }, "--max-running \"0\" is not a quota: give a whole number of at least 1, off, or default")]
    [InlineData(new string[0], "give --weight and/or --max-running")]
    public void Bad_input_is_exit_2_and_nothing_is_sent(string[] flags, string expected)
    {
        var run = _cli.Run(["users", "set", "alice", .. flags]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
    }

    [Fact]
    public void A_value_the_scheduler_refuses_is_exit_1_naming_the_field()
    {
        var run = _cli.Run("users", "set", ClientCli.NewUser(), "--weight", "5000");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("was not changed: weight 5000 is out of range: a weight is between 0.01 and 1000", run.Stderr);
    }
}
