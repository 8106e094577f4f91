using System.Diagnostics;
using System.Globalization;

namespace Lighthouse.Chaos;

/// <summary>
/// The one PostgreSQL server the three scheduler hosts share: a throwaway one on 127.0.0.1, started (and at the end
/// stopped and deleted) with scripts/deps/postgresql.sh, as the persistence tests and benchmark start theirs.
/// </summary>
internal sealed class ChaosPostgres : IAsyncDisposable
{
    private static readonly TimeSpan ScriptLimit = TimeSpan.FromMinutes(5);
    private readonly string _script;
    private readonly string _directory;

    private ChaosPostgres(string script, string directory, int port, string user)
    {
        _script = script;
        _directory = directory;
        ConnectionString = $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username={user};Database=postgres";
    }

    /// <summary>An Npgsql connection string of the server's <c>postgres</c> database (loopback is trusted: no password).</summary>
    public string ConnectionString { get; }

    public static async Task<ChaosPostgres> StartAsync(string repositoryRoot)
    {
        var script = Path.Combine(repositoryRoot, "scripts", "deps", "postgresql.sh");
        if (!File.Exists(script)) throw new FileNotFoundException($"{script} is missing", script);
        // Directly under /tmp: run as root, the server runs as `postgres`, which must reach its directory.
        var directory = Path.Combine("/tmp", "lighthouse-chaos-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, output) = await RunAsync(script, "start", directory);
        if (code != 0) throw new InvalidOperationException($"scripts/deps/postgresql.sh start {directory} failed ({code}): {output}");
        var parts = output.Trim().Split(' ');
        return new ChaosPostgres(script, directory, int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]);
    }

    public async ValueTask DisposeAsync() => await RunAsync(_script, "stop", _directory);

    private static async Task<(int Code, string Output)> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(ScriptLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {string.Join(' ', arguments)} did not finish within {ScriptLimit}");
        }
        return (process.ExitCode, await output + await error);
    }
}
