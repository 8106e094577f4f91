using System.Diagnostics;
using Lighthouse.Persistence;
using Lighthouse.Persistence.Sql;
using Npgsql;

namespace Lighthouse.Benchmarks;

/// <summary>
/// A PostgreSQL server for the persistence benchmark: the one in LIGHTHOUSE_BENCH_POSTGRES, or a throwaway one
/// on loopback started (and at the end stopped and deleted) with scripts/deps/postgresql.sh. Each measurement gets
/// a fresh database of its own, so none recovers another's events.
/// </summary>
internal sealed class PostgresForBenchmark : IDisposable
{
    private const string Variable = "LIGHTHOUSE_BENCH_POSTGRES";
    private readonly string? _server;
    private readonly string? _script;
    private readonly string? _directory;

    private PostgresForBenchmark(string? server, string? why, string? script = null, string? directory = null)
    {
        _server = server;
        Why = why;
        _script = script;
        _directory = directory;
    }

    public bool Available => _server is not null;

    /// <summary>Why PostgreSQL is not measured (null when it is).</summary>
    public string? Why { get; }

    public static PostgresForBenchmark Find(string scratch)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given) return new PostgresForBenchmark(given, null);
        var script = FindScript();
        if (script is null) return new PostgresForBenchmark(null, $"set {Variable}, or run from the repository so scripts/deps/postgresql.sh is found");
        // Directly under /tmp: when run as root the server runs as `postgres`, which must reach its directory.
        var directory = Path.Combine("/tmp", "lighthouse-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, output) = Shell(script, "start", directory);
        if (code != 0) return new PostgresForBenchmark(null, $"scripts/deps/postgresql.sh start failed: {output.Trim()}");
        var parts = output.Trim().Split(' ');
        var server = $"Host=127.0.0.1;Port={parts[0]};Username={parts[1]};Database=postgres";
        return new PostgresForBenchmark(server, null, script, directory);
    }

    /// <summary>Settings for a new, empty database <paramref name="name"/> on the server.</summary>
    public SqlDurabilitySettings Fresh(string name)
    {
        using (var db = new NpgsqlConnection(_server))
        {
            db.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", db);
            drop.ExecuteNonQuery();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", db);
            create.ExecuteNonQuery();
        }
        return SqlDurabilitySettings.PostgreSql(new NpgsqlConnectionStringBuilder(_server) { Database = name }.ConnectionString);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (_script is not null && _directory is not null) Shell(_script, "stop", _directory);
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "scripts", "deps", "postgresql.sh");
            if (File.Exists(script)) return script;
        }
        return null;
    }

    private static (int Code, string Output) Shell(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
        return (process.ExitCode, output.Result + error.Result);
    }
}
