using System.Text.Json;

namespace Lighthouse.Host.Tests.Client;

/// <summary><c>lighthouse nodes</c> and <c>queues</c> in-process against an in-test host.</summary>
public sealed class ViewCommandTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly ClientCli _cli = new(fixture);

    [Fact]
    public void Nodes_lists_the_worker_as_a_table()
    {
        var run = _cli.Run("nodes");

        Assert.Equal((0, ""), (run.ExitCode, run.Stderr));
        var lines = run.Stdout.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^NODE +STATE +SLOTS +RUNNING +PRIORITIES +TASKS +RESOURCES", lines[0]);
        Assert.Matches("^test-worker +reachable +\\d+/64 +\\d+ +all +echo,fail,hold +cpu=8/8$", Assert.Single(lines[1..]));
    }

    [Fact]
    public void Nodes_json_describes_each_node()
    {
        var run = _cli.Run("nodes", "--json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Stdout);
        var node = Assert.Single(document.RootElement.GetProperty("nodes").EnumerateArray());
        Assert.Equal(
            ["name", "state", "slots", "free_slots", "running_tasks", "task_names", "priorities", "capacity", "free", "registered_at"],
            node.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("test-worker", "reachable", 64), (node.GetProperty("name").GetString(), node.GetProperty("state").GetString(), node.GetProperty("slots").GetInt32()));
        Assert.Equal(["echo", "fail", "hold"], node.GetProperty("task_names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(8, node.GetProperty("capacity").GetProperty("cpu").GetDouble());
        Assert.Equal(int.MinValue, node.GetProperty("priorities").GetProperty("min").GetInt32());
        Assert.EndsWith("Z", node.GetProperty("registered_at").GetString());
    }

    [Fact]
    public void Queues_shows_a_users_queued_tasks_by_priority_as_text_and_json()
    {
        var user = ClientCli.NewUser();
        _cli.Submit("unhandled", "--user", user, "--priority", "7");
        _cli.Submit("unhandled", "--user", user, "--priority", "7");
        _cli.Submit("unhandled", "--user", user, "--priority", "-1");

        var text = _cli.Run("queues");
        var json = _cli.Run("queues", "--json");

        Assert.Equal((0, ""), (text.ExitCode, text.Stderr));
        Assert.StartsWith("queued: ", text.Stdout);
        Assert.Contains("USER", text.Stdout);
        Assert.Matches($"(?m)^{user} +3 +0 +1 at -1, 2 at 7\\r?$", text.Stdout);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(["queued", "running", "queued_by_priority", "users", "users_total", "offset", "more_users", "blocked"], document.RootElement.EnumerateObject().Select(p => p.Name));
        var mine = Assert.Single(document.RootElement.GetProperty("users").EnumerateArray(), u => u.GetProperty("user").GetString() == user);
        Assert.Equal(3, mine.GetProperty("queued").GetInt32());
        Assert.Equal([("-1", 1), ("7", 2)], mine.GetProperty("queued_by_priority").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())));
        Assert.True(document.RootElement.GetProperty("queued").GetInt32() >= 3);
    }
}
