using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Lighthouse.IntegrationTests.Fixtures;

namespace Lighthouse.IntegrationTests.Samples;

/// <summary>
/// The library packages packed once, and the three programs of <c>samples/</c> built on them as a user would build
/// them: <c>dotnet pack</c> of Lighthouse.Actors, Lighthouse.Worker and Lighthouse.Persistence.Sql (Release) into
/// <c>artifacts/packages/</c>, then <c>dotnet build</c> of each sample, whose <c>samples/NuGet.config</c> restores them
/// from there (and everything else from nuget.org through the machine's package cache).
/// <para>
/// The packages get a version of this run's own (<c>0.6.0-samples.STAMP</c>, passed to the samples as
/// <c>LighthouseVersion</c>): a fresh pack of a version already in the machine's package cache would be shadowed by the
/// cached copy, and a new version never is. Disposing removes that version from <c>artifacts/packages/</c> and from the
/// package cache again, and the build output. Builds and packs run with their own artifacts path under the temp
/// directory, so they neither touch nor depend on the repository's own build output, and without build servers, so no
/// MSBuild node or compiler server outlives the test.
/// </para>
/// </summary>
public sealed class PackedSamples : IAsyncLifetime
{
    /// <summary>The libraries packed, as their projects and package ids are named.</summary>
    public static readonly string[] Libraries = ["Lighthouse.Actors", "Lighthouse.Worker", "Lighthouse.Persistence.Sql"];

    /// <summary>The programs of <c>samples/</c>.</summary>
    public static readonly string[] Programs = ["CustomWorker", "Client", "AllInOne"];

    /// <summary>Bound on one <c>dotnet pack</c> or <c>dotnet build</c> (a cold build on a busy 2-core machine takes a minute).</summary>
    private static readonly TimeSpan CommandLimit = TimeSpan.FromMinutes(5);

    private readonly string _work = Path.Combine(Path.GetTempPath(), $"lighthouse-samples-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
    private string? _globalPackages;

    /// <summary>The directory holding Lighthouse.sln.</summary>
    public string Root { get; } = FindRoot();

    /// <summary>The directory holding Lighthouse.sln, found upwards from the tests' output.</summary>
    public static string RepositoryRoot => FindRoot();

    public string PackageDirectory => Path.Combine(Root, "artifacts", "packages");

    /// <summary>The packages' version in this run.</summary>
    public string Version { get; private set; } = "";

    /// <summary>Each package's nupkg, by package id.</summary>
    public IReadOnlyDictionary<string, string> Packages { get; private set; } = new Dictionary<string, string>();

    /// <summary>Each sample's <c>project.assets.json</c>, by program name: what its restore resolved.</summary>
    public IReadOnlyDictionary<string, string> AssetsFiles { get; private set; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        var prefix = XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        var suffix = $"samples.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Version = $"{prefix}-{suffix}";
        Directory.CreateDirectory(_work);
        _globalPackages = await GlobalPackagesFolder(Root);

        var packed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var library in Libraries)
        {
            await Dotnet(Root, "pack", Path.Combine(Root, "src", library, library + ".csproj"), "-c", "Release", "--version-suffix", suffix,
                "--artifacts-path", Path.Combine(_work, "libraries"), "-o", PackageDirectory);
            var nupkg = Path.Combine(PackageDirectory, $"{library}.{Version}.nupkg");
            packed[library] = File.Exists(nupkg) ? nupkg : throw new FileNotFoundException($"dotnet pack of {library} made no {nupkg}", nupkg);
        }
        Packages = packed;

        var assets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var program in Programs)
        {
            var project = Path.Combine(Root, "samples", program, program + ".csproj");
            var artifacts = Path.Combine(_work, "samples");
            await Dotnet(Path.GetDirectoryName(project)!, "build", project, "-c", "Release", $"-p:LighthouseVersion={Version}",
                "--artifacts-path", artifacts, "-o", ProgramDirectory(program));
            assets[program] = Path.Combine(artifacts, "obj", program, "project.assets.json");
        }
        AssetsFiles = assets;
    }

    /// <summary>
    /// Where <paramref name="program"/> is built to: <c>programs/NAME/</c> under the tests' output, where
    /// <see cref="ManagedProcess"/> runs programs from (see <see cref="SampleProcess"/>).
    /// </summary>
    public static string ProgramDirectory(string program) => Path.Combine(AppContext.BaseDirectory, "programs", program);

    /// <summary>The packages the sample's restore resolved: id → version.</summary>
    public IReadOnlyDictionary<string, string> ResolvedPackages(string program)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(AssetsFiles[program]));
        var resolved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var library in assets.RootElement.GetProperty("libraries").EnumerateObject())
        {
            if (library.Value.GetProperty("type").GetString() != "package") continue;
            var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
            resolved[library.Name[..slash]] = library.Name[(slash + 1)..];
        }
        return resolved;
    }

    /// <summary>The repository's central package versions (Directory.Packages.props, properties expanded): id → version.</summary>
    public IReadOnlyDictionary<string, string> CentralVersions()
    {
        var props = XDocument.Load(Path.Combine(Root, "Directory.Packages.props"));
        var properties = props.Descendants("PropertyGroup").Elements().ToDictionary(e => e.Name.LocalName, e => e.Value, StringComparer.OrdinalIgnoreCase);
        string Expand(string value)
        {
            foreach (var (name, text) in properties) value = value.Replace($"$({name})", text, StringComparison.OrdinalIgnoreCase);
            return value;
        }
        return props.Descendants("PackageVersion").ToDictionary(
            e => e.Attribute("Include")!.Value, e => Expand(e.Attribute("Version")!.Value), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The nuspec inside a packed package.</summary>
    public XDocument Nuspec(string library)
    {
        using var archive = System.IO.Compression.ZipFile.OpenRead(Packages[library]);
        var entry = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    public Task DisposeAsync()
    {
        foreach (var library in Libraries)
        {
            TryDelete(Path.Combine(PackageDirectory, $"{library}.{Version}.nupkg"));
            // The package cache keeps lower-case ids and versions.
            if (_globalPackages is not null && Version.Length > 0)
                TryDelete(Path.Combine(_globalPackages, library.ToLowerInvariant(), Version.ToLowerInvariant()));
        }
        foreach (var program in Programs) TryDelete(ProgramDirectory(program));
        TryDelete(_work);
        return Task.CompletedTask;
    }

    internal static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: a later run uses a version of its own, so it cannot be misled by it.
        }
    }

    /// <summary>The machine's NuGet package cache, as NuGet itself (and so the samples' restore) sees it.</summary>
    internal static async Task<string> GlobalPackagesFolder(string root)
    {
        var output = await Dotnet(Path.Combine(root, "samples"), "nuget", "locals", "global-packages", "--list");
        const string label = "global-packages:";
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"dotnet nuget locals printed no {label} line:\n{output}");
        return line[label.Length..].Trim();
    }

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="directory"/>, bounded; returns its output, or throws with it when the command fails.</summary>
    internal static Task<string> Dotnet(string directory, params string[] arguments) => DotnetWithin(CommandLimit, directory, arguments);

    /// <summary>As <see cref="Dotnet"/>, bounded by <paramref name="limit"/> (a ReadyToRun pack compiles every dependency ahead).</summary>
    internal static async Task<string> DotnetWithin(TimeSpan limit, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (arguments[0] is "pack" or "build")
        {
            foreach (var flag in new[] { "--nologo", "-v", "q", "--disable-build-servers" }) start.ArgumentList.Add(flag);
        }
        // The MSBuild of `dotnet test` leaves its own settings in the environment; the child starts afresh.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var command = $"dotnet {string.Join(' ', start.ArgumentList)}";
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            throw new TimeoutException($"{command} did not finish within {limit}:\n{output}");
        }
        process.WaitForExit(); // the asynchronous readers have delivered every line
        lock (output)
        {
            return process.ExitCode == 0 ? output.ToString() : throw new InvalidOperationException($"{command} exited {process.ExitCode}:\n{output}");
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Lighthouse.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no Lighthouse.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>A program of <c>samples/</c>, built by <see cref="PackedSamples"/>, as a real process.</summary>
public sealed class SampleProcess : ManagedProcess
{
    private SampleProcess(string program, IReadOnlyList<string> arguments)
        : base($"sample {program}", program + ".dll", arguments, environment: null)
    {
    }

    /// <summary>Starts <c>samples/PROGRAM</c> with <paramref name="arguments"/> and returns at once.</summary>
    public static SampleProcess Start(string program, params string[] arguments) => new(program, arguments);
}
