using System.Diagnostics;
using System.Text.Json;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Cli;

/// <summary>The built <c>lighthouse</c> program as a real process: exit codes and streams as a shell sees them.</summary>
public class ProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_good_scenario_prints_the_outcome_and_exits_0()
    {
        var run = await Lighthouse(["place", RepositoryPaths.Example("datacenter.json")]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        using var outcome = JsonDocument.Parse(run.Stdout);
        Assert.Equal("node-3", outcome.RootElement.GetProperty("assignments")[0].GetProperty("web-1").GetString());
    }

    [Fact]
    public async Task A_scenario_on_stdin_is_read_to_its_end()
    {
        var run = await Lighthouse(["place", "-"], await File.ReadAllTextAsync(RepositoryPaths.Example("princes.json")));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"princess-1\": \"prince\"", run.Stdout);
    }

    [Fact]
    public async Task A_bad_scenario_exits_2_with_the_message_on_stderr_only()
    {
        using var file = new TempFile("""{"strategy": "prioritized", "nodes": [], "batches": [[{"name": "w1", "requirments": {}}]]}""");

        var run = await Lighthouse(["place", file.Path]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.StartsWith($"lighthouse place: {file.Path}: workload \"w1\" (batches[0][0]): unknown field \"requirments\"", run.Stderr);
    }

    private sealed record ProcessRun(int ExitCode, string Stdout, string Stderr);

    private static async Task<ProcessRun> Lighthouse(string[] args, string stdin = "")
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lighthouse.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"lighthouse {string.Join(' ', args)} did not exit within {Limit}");
        }
        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }
}
