namespace Lighthouse.IntegrationTests.EndToEnd;

/// <summary>
/// A fresh data directory for each host of these tests, when <c>lighthouse serve</c> has <c>--data-dir</c>: a host
/// that persists its scheduler in a default directory shared by every test would recover the tasks of earlier tests.
/// </summary>
public sealed class HostDataDirectory : IDisposable
{
    // Asked once per test run: whether this build of lighthouse takes --data-dir, read from its own help.
    private static readonly Lazy<Task<bool>> Supported = new(async () =>
        (await CliProcess.RunAsync("serve", "--help")).Stdout.Contains("--data-dir", StringComparison.Ordinal));

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lighthouse-e2e-{Guid.NewGuid():N}");

    /// <summary><c>--data-dir PATH</c>, or nothing when the host has no such option (its scheduler then lives in memory).</summary>
    public async Task<IReadOnlyList<string>> ServeArgumentsAsync() => await Supported.Value ? ["--data-dir", Path] : [];

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
