using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Lighthouse.Client;
using Lighthouse.Protocol;

namespace Lighthouse.Benchmarks;

/// <summary>
/// What the benchmarks that start real processes share (e2e, soak): where the repository and its Release programs
/// are, building them, free loopback ports, the load average, waiting for a condition or for workers to register.
/// </summary>
internal static class BenchmarkPrograms
{
    /// <summary>How long a host or worker may take to start, or workers to register, on a loaded machine.</summary>
    public static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    public static Task UntilRegistered(LighthouseClient client, IEnumerable<string> names) =>
        Until(async () => (await client.GetNodesAsync()).Nodes,
            nodes => names.All(name => nodes.Any(n => n.Node == name && n.State == WorkerNodeState.Reachable)),
            DateTimeOffset.UtcNow + StartLimit, $"workers {string.Join(", ", names)} registered");

    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, DateTimeOffset deadline, string what)
    {
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"{what}: not by {deadline:HH:mm:ss}");
            await Task.Delay(20);
        }
    }

    /// <summary>The directory holding Lighthouse.sln, above the benchmark's build output or else above the current directory.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Lighthouse.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Lighthouse.sln above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}: run the benchmark inside the repository");
    }

    public static void Build(string root, string project)
    {
        Console.WriteLine($"building {project} (Release) ...");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, UseShellExecute = false };
        foreach (var argument in new[] { "build", project, "-c", "Release", "-nologo", "-v", "q" }) start.ArgumentList.Add(argument);
        using var build = Process.Start(start) ?? throw new InvalidOperationException($"dotnet build {project} did not start");
        build.WaitForExit();
        if (build.ExitCode != 0) throw new InvalidOperationException($"dotnet build {project} -c Release failed with exit code {build.ExitCode}");
    }

    public sealed class DirectoryRemoval(string path) : IDisposable
    {
        public void Dispose()
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
    }

    public static string ProgramPath(string root, string relative)
    {
        var path = Path.Combine(root, relative);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build it with dotnet build -c Release (or drop --no-build)", path);
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The whole number after <paramref name="flag"/>, else <paramref name="fallback"/>; a missing or non-positive one is refused naming the flag.</summary>
    public static int Number(string[] args, string flag, int fallback, int minimum = 1)
    {
        var at = Array.IndexOf(args, flag);
        if (at < 0) return fallback;
        if (at + 1 >= args.Length || !int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < minimum)
            throw new ArgumentException($"{flag} needs a whole number of at least {minimum}, got \"{(at + 1 < args.Length ? args[at + 1] : "")}\"");
        return value;
    }
}
