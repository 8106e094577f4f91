using System.Text.Json;

namespace Lighthouse.Host.Tests.Client;

/// <summary><c>lighthouse limits</c> and <c>limits set</c>, and <c>submit --concurrency-key</c>, in-process against an in-test host.</summary>
public sealed class LimitsCommandTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ClientCli _cli = new(fixture);

    private static string NewKey() => "k-" + Guid.NewGuid().ToString("N")[..10];

    private JsonElement KeyOf(string key)
    {
        var run = _cli.Run("limits", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var document = JsonDocument.Parse(run.Stdout);
        return document.RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("key").GetString() == key).Clone();
    }

    [Fact]
    public void A_limit_set_holds_tasks_back_shows_in_the_table_and_none_lets_them_go()
    {
        var key = NewKey();
        var user = ClientCli.NewUser();
        var set = _cli.Run("limits", "set", key, "1");
        Assert.Equal((0, ""), (set.ExitCode, set.Stderr));
        Assert.Equal($"concurrency key {key}: limit 1 (runtime); 0 running, 0 queued, 0 waiting" + Environment.NewLine, set.Stdout);

        var ids = Enumerable.Range(0, 3).Select(_ => _cli.Submit("hold", "--user", user, "--concurrency-key", key)).ToList();
        _cli.AwaitState(ids[0], "running");
        var waiting = _cli.Status(ids[1]);
        Assert.Equal("queued", waiting.GetProperty("state").GetString());
        Assert.Equal($"waiting for concurrency key {key} (1 of 1 running)", waiting.GetProperty("pending_reason").GetString());
        Assert.Equal($$"""{"key":"{{key}}","limit":1,"configured_limit":null,"runtime_limit":1,"running":1,"queued":0,"waiting":2}""",
            JsonSerializer.Serialize(KeyOf(key)));
        var table = _cli.Run("limits");
        Assert.Matches("^KEY +LIMIT +CONFIGURED +RUNTIME +RUNNING +QUEUED +WAITING", table.Stdout.Split(Environment.NewLine)[2]);
        Assert.Contains(table.Stdout.Split(Environment.NewLine), line => System.Text.RegularExpressions.Regex.IsMatch(line, $"^{key} +1 +- +1 +1 +0 +2$"));

        var removed = _cli.Run("limits", "set", key, "none", "--json");
        Assert.Equal(0, removed.ExitCode);
        using (var document = JsonDocument.Parse(removed.Stdout))
            Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("limit").ValueKind);
        _cli.AwaitState(ids[2], "running");
        foreach (var id in ids) Assert.Equal(0, _cli.Run("cancel", id).ExitCode);
    }

    [Theory]
    [InlineData("a b", "1", "KEY \"a b\" contains ' '")]
    [InlineData("db", "-1", "LIMIT \"-1\" is invalid")]
    [InlineData("db", "lots", "LIMIT \"lots\" is invalid: give a whole number of 0 or more, or none")]
    public void Bad_input_is_exit_2_naming_the_argument_and_nothing_is_sent(string key, string limit, string message)
    {
        var run = _cli.Run("limits", "set", key, limit);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void A_key_the_scheduler_refuses_is_exit_1_naming_the_field()
    {
        var run = _cli.Run("submit", "echo", "--concurrency-key", "a/b");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("concurrency_key \"a/b\" contains '/'", run.Stderr);
    }
}
