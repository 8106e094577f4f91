using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Tests.Shared;

namespace Lighthouse.IntegrationTests.Web;

/// <summary>
/// The monitor page served by a real <c>lighthouse serve</c> process (its page, script and style come from the
/// binary itself), loaded by Debian's headless chromium while a real worker process runs tasks.
/// </summary>
public sealed partial class MonitorProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_monitor_of_a_real_host_shows_the_worker_process_its_running_tasks_and_the_finished_ones()
    {
        await using var cluster = new LocalCluster();
        var host = await cluster.StartHostAsync();
        await cluster.StartWorkerAsync(host, "w1", slots: 3);
        using var http = new HttpClient { BaseAddress = host.Http, Timeout = Limit };
        await Until(async () => (await http.GetStringAsync("/api/nodes")).Contains("\"w1\""), "the worker to register");
        for (var i = 0; i < 4; i++) (await http.PostAsJsonAsync("/api/tasks", new { name = "echo", user = "alice", payload = new { i } })).EnsureSuccessStatusCode();
        for (var i = 0; i < 2; i++) (await http.PostAsJsonAsync("/api/tasks", new { name = "sleep", user = "bob", payload = new { ms = 60000 } })).EnsureSuccessStatusCode();
        await Until(async () => (await http.GetStringAsync("/api/stats")).Contains("\"succeeded\":4"), "the echoes to finish");
        await Until(async () => (await http.GetStringAsync("/api/queues")).Contains("\"running\":2"), "the sleeps to run");

        var dom = await DumpDom(host.Http);

        Assert.Contains("data-ready=\"true\"", dom);
        Assert.Matches("<article class=\"node\" data-node=\"w1\" data-state=\"reachable\" data-slots=\"3\" data-slots-used=\"2\">", dom);
        Assert.Equal(2, RunningTask().Count(dom));
        Assert.Matches("<tr data-task-name=\"echo\" data-finished=\"4\" data-succeeded=\"4\" data-failed=\"0\"", dom);
        Assert.Matches("<svg id=\"chart-finished\"[^>]*data-total=\"4\"", dom);
        Assert.Matches($"<tr data-member=\"{Regex.Escape(host.AkkaAddress)}\" data-status=\"up\" data-reachable=\"true\" data-scheduler=\"true\">", dom);
    }

    [GeneratedRegex("<li class=\"running-task\" data-task=\"task-\\d+\"")]
    private static partial Regex RunningTask();

    private static Task Until(Func<Task<bool>> condition, string what) => Eventually.Holds(condition, what, Limit);

    /// <summary>The DOM after the page's scripts ran (see tests/Lighthouse.Host.Tests/Web/Chromium.cs for the flags' reasons).</summary>
    private static async Task<string> DumpDom(Uri url)
    {
        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium))
            throw new InvalidOperationException($"{chromium} is missing, and the monitor's browser tests need it: run scripts/deps/chromium.sh (it installs Debian's chromium).");
        var profile = Directory.CreateTempSubdirectory("lighthouse-chromium-");
        try
        {
            var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-extensions", $"--user-data-dir={profile.FullName}",
                "--virtual-time-budget=5000", "--dump-dom", url.ToString(),
            })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish loading {url} in time");
            }
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await errors}");
            return await output;
        }
        finally
        {
            try { profile.Delete(recursive: true); }
            catch (IOException) { /* a helper may still hold a file for a moment */ }
        }
    }
}
