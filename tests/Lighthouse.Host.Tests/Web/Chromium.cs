using System.Diagnostics;
using System.Globalization;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// Debian's headless chromium, driven from the command line. <c>--virtual-time-budget</c> lets the page's scripts
/// run (timers, fetches) before the DOM is dumped; a bare <c>--dump-dom</c> races them. Every run gets a fresh
/// profile directory and is killed if it outlives <see cref="Timeout"/>.
/// </summary>
internal static class Chromium
{
    public const string Executable = "/usr/bin/chromium";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>The DOM after <paramref name="budgetMilliseconds"/> of virtual time.</summary>
    public static Task<string> DumpDom(Uri url, int budgetMilliseconds = 5000) =>
        Run(url, budgetMilliseconds, "--dump-dom");

    public static Task<string> Screenshot(Uri url, string path, int width, int height, int budgetMilliseconds = 5000) =>
        Run(url, budgetMilliseconds, $"--screenshot={path}", $"--window-size={width},{height}", "--hide-scrollbars");

    private static async Task<string> Run(Uri url, int budgetMilliseconds, params string[] action)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException(
                $"{Executable} is missing, and the monitor's browser tests need it: run scripts/deps/chromium.sh (it installs Debian's chromium).");
        var profile = Directory.CreateTempSubdirectory("lighthouse-chromium-");
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-extensions", $"--user-data-dir={profile.FullName}",
                $"--virtual-time-budget={budgetMilliseconds.ToString(CultureInfo.InvariantCulture)}",
            }.Concat(action).Append(url.ToString()))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Executable}");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish loading {url} within {Timeout.TotalSeconds} s");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"chromium exited with {process.ExitCode} loading {url}: {await errors}");
            return await output;
        }
        finally
        {
            try { profile.Delete(recursive: true); }
            catch (IOException) { /* chromium's helpers may still hold a file for a moment; the temp dir is cleaned eventually */ }
        }
    }
}
