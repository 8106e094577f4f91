using System.Diagnostics;

namespace Lighthouse.Tests.Shared;

/// <summary>
/// A throwaway PostgreSQL server on 127.0.0.1 and a free port, started with scripts/deps/postgresql.sh (which installs
/// Debian's postgresql first if it is missing) in a directory of its own, and stopped and deleted on dispose. Used by the
/// persistence tests and by the chaos harness (benchmark and test).
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan ScriptLimit = TimeSpan.FromMinutes(5);
    private readonly string _script;
    private readonly string _directory;

    private PostgresServer(string script, string directory, int port, string user)
    {
        _script = script;
        _directory = directory;
        Port = port;
        User = user;
    }

    public int Port { get; }
    public string User { get; }

    /// <summary>An Npgsql connection string for database <paramref name="database"/> (the server trusts loopback: no password).</summary>
    public string ConnectionString(string database = "postgres") => $"Host=127.0.0.1;Port={Port};Username={User};Database={database}";

    /// <summary>Starts a server with the script of <paramref name="repositoryRoot"/>, or of the repository above the running program.</summary>
    public static async Task<PostgresServer> StartAsync(string? repositoryRoot = null)
    {
        var script = repositoryRoot is null ? FindScript() : Path.Combine(repositoryRoot, "scripts", "deps", "postgresql.sh");
        if (!File.Exists(script)) throw new FileNotFoundException($"{script} is missing", script);
        // Directly under /tmp: run as root, the server runs as `postgres`, which must reach its directory.
        var directory = Path.Combine("/tmp", "lighthouse-it-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, output) = await RunAsync(script, "start", directory);
        if (code != 0) throw new InvalidOperationException($"scripts/deps/postgresql.sh start {directory} failed ({code}): {output}");
        var parts = output.Trim().Split(' ');
        return new PostgresServer(script, directory, int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1]);
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await RunAsync(_script, "stop", _directory);
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "scripts", "deps", "postgresql.sh");
            if (File.Exists(script)) return script;
        }
        throw new FileNotFoundException($"scripts/deps/postgresql.sh was not found above {AppContext.BaseDirectory}");
    }

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
