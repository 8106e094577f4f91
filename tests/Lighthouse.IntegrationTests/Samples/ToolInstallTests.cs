using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace Lighthouse.IntegrationTests.Samples;

/// <summary>
/// <c>lighthouse</c> and <c>lighthouse-worker</c> as .NET tools: packed by <c>dotnet pack</c>, installed by
/// <c>dotnet tool install</c> into a fresh temporary tool path from the folder the packages were written to, and run.
/// The packages get a version of this run's own (<c>0.6.0-tools.STAMP</c>) so that the machine's package cache
/// cannot answer with an older pack; the version is removed from the cache again afterwards.
/// </summary>
public sealed class ToolInstallTests
{
    private static readonly string[] Tools = ["lighthouse", "lighthouse-worker"];

    [Fact]
    public async Task Both_tools_pack_install_into_a_fresh_tool_path_and_run()
    {
        var root = PackedSamples.RepositoryRoot;
        var prefix = XDocument.Load(Path.Combine(root, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        var suffix = $"tools.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var version = $"{prefix}-{suffix}";
        var work = Path.Combine(Path.GetTempPath(), $"lighthouse-tools-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        var packages = Path.Combine(work, "packages");
        var toolPath = Path.Combine(work, "tools");
        var globalPackages = await PackedSamples.GlobalPackagesFolder(root);
        try
        {
            foreach (var project in new[] { "Lighthouse.Host", "Lighthouse.Worker.Host" })
                await PackedSamples.Dotnet(root, "pack", Path.Combine(root, "src", project, project + ".csproj"), "-c", "Release",
                    "--version-suffix", suffix, "--artifacts-path", Path.Combine(work, "build"), "-o", packages);
            foreach (var tool in Tools)
            {
                Assert.True(File.Exists(Path.Combine(packages, $"{tool}.{version}.nupkg")), $"dotnet pack made no {tool}.{version}.nupkg");
                await PackedSamples.Dotnet(work, "tool", "install", "--tool-path", toolPath, "--add-source", packages, tool, "--version", version);
            }

            var (versionExit, printed) = await Run(Path.Combine(toolPath, "lighthouse"), "--version");
            var (helpExit, help) = await Run(Path.Combine(toolPath, "lighthouse-worker"), "--help");

            Assert.Equal(0, versionExit);
            Assert.StartsWith(version, printed.Trim());
            Assert.Equal(0, helpExit);
            Assert.Contains("lighthouse-worker", help);
            Assert.Contains("--exec", help);
        }
        finally
        {
            foreach (var tool in Tools) PackedSamples.TryDelete(Path.Combine(globalPackages, tool, version.ToLowerInvariant()));
            PackedSamples.TryDelete(work);
        }
    }

    /// <summary>
    /// <c>dotnet pack -p:ToolRid=RID</c> (README, "Installing the tools"): a pointer package and a package for this
    /// machine's platform whose code is compiled ahead of time (ReadyToRun, docs/benchmarks.md "Command start-up");
    /// <c>dotnet tool install</c> picks the platform's package by itself. Only <c>lighthouse</c>, whose one-shot
    /// commands are what ReadyToRun is for (the worker's pack is the same Service.props setting).
    /// </summary>
    [Fact]
    public async Task The_platform_specific_tool_is_precompiled_installs_and_runs()
    {
        var root = PackedSamples.RepositoryRoot;
        var rid = RuntimeInformation.RuntimeIdentifier;
        var prefix = XDocument.Load(Path.Combine(root, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        var suffix = $"r2r.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var version = $"{prefix}-{suffix}";
        var work = Path.Combine(Path.GetTempPath(), $"lighthouse-r2r-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        var packages = Path.Combine(work, "packages");
        var toolPath = Path.Combine(work, "tools");
        var globalPackages = await PackedSamples.GlobalPackagesFolder(root);
        try
        {
            await PackedSamples.DotnetWithin(TimeSpan.FromMinutes(20), root, "pack", Path.Combine(root, "src", "Lighthouse.Host", "Lighthouse.Host.csproj"),
                "-c", "Release", $"-p:ToolRid={rid}", "--version-suffix", suffix, "--artifacts-path", Path.Combine(work, "build"), "-o", packages);
            Assert.True(File.Exists(Path.Combine(packages, $"lighthouse.{version}.nupkg")), "no pointer package lighthouse.VERSION.nupkg");
            Assert.True(File.Exists(Path.Combine(packages, $"lighthouse.{rid}.{version}.nupkg")), $"no platform package lighthouse.{rid}.VERSION.nupkg");
            await PackedSamples.Dotnet(work, "tool", "install", "--tool-path", toolPath, "--add-source", packages, "lighthouse", "--version", version);

            var installed = Directory.GetFiles(toolPath, "*.dll", SearchOption.AllDirectories);
            foreach (var assembly in new[] { "lighthouse.dll", "Lighthouse.Actors.dll", "Akka.dll", "Akka.Remote.dll" })
            {
                var path = installed.Single(f => Path.GetFileName(f) == assembly);
                Assert.True(IsReadyToRun(path), $"{assembly} in the installed tool is not ReadyToRun code: {path}");
            }
            var (exit, printed) = await Run(Path.Combine(toolPath, "lighthouse"), "--version");
            Assert.Equal(0, exit);
            Assert.StartsWith(version, printed.Trim());
        }
        finally
        {
            foreach (var package in new[] { "lighthouse", $"lighthouse.{rid}" })
                PackedSamples.TryDelete(Path.Combine(globalPackages, package, version.ToLowerInvariant()));
            PackedSamples.TryDelete(work);
        }
    }

    // A ReadyToRun image carries a managed native header (the precompiled code's directory); a JIT-only one has none.
    private static bool IsReadyToRun(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var reader = new PEReader(stream);
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    private static async Task<(int Exit, string Output)> Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within a minute");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
