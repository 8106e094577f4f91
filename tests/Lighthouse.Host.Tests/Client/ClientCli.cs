using System.Text.Json;

namespace Lighthouse.Host.Tests.Client;

/// <summary>Runs client commands in-process against a fixture's host.</summary>
internal sealed class ClientCli(HostFixture fixture)
{
    public static readonly string[] StatusKeys =
    [
        "id", "name", "user", "priority", "state", "progress", "result", "error", "node", "attempts",
        "pending_reason", "waits_for_capacity", "submitted_at", "started_at", "finished_at",
        "retry", "timeout_ms", "not_before", "next_attempt_at", "retries", "attempt_errors", "after", "dependents", "concurrency_key",
    ];

    /// <summary>A user no other test submits as, so queue counts per user belong to one test.</summary>
    public static string NewUser() => "u-" + Guid.NewGuid().ToString("N")[..10];

    public CommandLineRun Run(params string[] args) => CommandLineRun.Of([.. args, .. fixture.HostArgs]);

    public CommandLineRun RunWithInput(string stdin, params string[] args) => CommandLineRun.WithInput(stdin, [.. args, .. fixture.HostArgs]);

    /// <summary>Submits with <c>--json</c> and returns the id.</summary>
    public string Submit(params string[] args)
    {
        var run = Run(["submit", .. args, "--json"]);
        Assert.True(run.ExitCode == 0, $"submit exited {run.ExitCode}: {run.Stderr}");
        using var document = JsonDocument.Parse(run.Stdout);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The task status object of <c>status --json</c>.</summary>
    public JsonElement Status(string id)
    {
        var run = Run("status", id, "--json");
        Assert.True(run.ExitCode == 0, $"status exited {run.ExitCode}: {run.Stderr}");
        using var document = JsonDocument.Parse(run.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>How many tasks <paramref name="user"/> has queued, from <c>queues --json</c> (0 when the user is not listed).</summary>
    public int QueuedOf(string user)
    {
        var run = Run("queues", "--json");
        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Stdout);
        return document.RootElement.GetProperty("users").EnumerateArray()
            .Where(u => u.GetProperty("user").GetString() == user)
            .Select(u => u.GetProperty("queued").GetInt32())
            .SingleOrDefault();
    }

    /// <summary>Polls <c>status --json</c> (bounded) until the task is in <paramref name="state"/>.</summary>
    public JsonElement AwaitState(string id, string state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var status = Status(id);
            if (status.GetProperty("state").GetString() == state) return status;
            if (DateTime.UtcNow > deadline) Assert.Fail($"task {id} is {status.GetProperty("state")}, not {state}, after 15 s");
            Thread.Sleep(20);
        }
    }
}
