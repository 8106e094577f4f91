using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Tests.Shared;
using Xunit.Abstractions;

namespace Lighthouse.IntegrationTests.Web;

/// <summary>
/// The ten-line Python client of docs/http-api.md (samples/python/http_client.py, the very file the doc includes)
/// against a real <c>lighthouse serve</c> with a user token: it submits, waits with <c>?wait=</c> and prints the end.
/// </summary>
public sealed class HttpApiPythonClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("echo", """{"hello": ["world", 1.5]}""", "succeeded", 0)]
    [InlineData("sleep", """{"ms": 1500}""", "succeeded", 0)]
    [InlineData("fail", """{"message": "boom"}""", "failed", 1)]
    public async Task The_python_client_submits_waits_and_prints_the_tasks_end(string name, string payload, string state, int exitCode)
    {
        if (Python() is not { } python)
        {
            // CI installs it (scripts/deps/python3.sh); a machine without it has nothing to run the sample with.
            output.WriteLine("python3 is not on PATH: scripts/deps/python3.sh installs it; the Python client was not run");
            return;
        }
        await using var cluster = new LocalCluster();
        using var config = new TempFile("lighthouse.host.http.tokens = [{ token = \"py-secret\", user = \"pat\" }]\n");
        var host = await cluster.StartHostAsync(localWorker: true, arguments: ["--config", config.Path]);

        var (exit, stdout, stderr) = await Run(python, host.Http, "py-secret", name, payload);

        Assert.True(exit == exitCode, $"the client exited {exit}; stderr:\n{stderr}\n{cluster.Logs()}");
        var status = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal((state, "pat", name), (status.GetProperty("state").GetString(), status.GetProperty("user").GetString(), status.GetProperty("name").GetString()));
        if (name == "echo") Assert.Equal("""{"hello":["world",1.5]}""", JsonSerializer.Serialize(status.GetProperty("result")));
    }

    [Fact]
    public void The_http_api_doc_shows_the_client_file_as_it_is()
    {
        var root = Samples.PackedSamples.RepositoryRoot;
        var client = File.ReadAllText(Path.Combine(root, "samples", "python", "http_client.py"));
        var doc = File.ReadAllText(Path.Combine(root, "docs", "http-api.md"));

        Assert.Contains("```python\n" + client + "```", doc);
    }

    private static string? Python() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "python3")).FirstOrDefault(File.Exists);

    private static async Task<(int Exit, string Stdout, string Stderr)> Run(string python, Uri http, string token, string name, string payload)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["LIGHTHOUSE_URL"] = http.ToString().TrimEnd('/'), ["LIGHTHOUSE_TOKEN"] = token },
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "samples", "http_client.py"), name, payload }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the Python client did not finish within {Limit}: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
