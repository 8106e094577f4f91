using System.Text.RegularExpressions;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;

namespace Lighthouse.IntegrationTests.Samples;

/// <summary>
/// Lighthouse embedded as a new user embeds it: the programs of <c>samples/</c>, built on the packed library packages
/// (see <see cref="PackedSamples"/>), run against a real <c>lighthouse serve</c> process on loopback, or alone.
/// </summary>
public sealed partial class SamplesTests(PackedSamples samples) : IClassFixture<PackedSamples>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>Database drivers: what a client or a worker must never carry (they come with Lighthouse.Persistence.Sql only).</summary>
    private static readonly string[] DatabasePackages = ["Npgsql", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "linq2db", "Akka.Persistence.Sql"];

    [Fact]
    public async Task The_client_sample_gets_a_task_done_by_the_custom_worker_sample_through_a_host()
    {
        await using var cluster = new LocalCluster();
        var host = await cluster.StartHostAsync(); // no local worker: only the custom worker handles anything
        var worker = cluster.Track(SampleProcess.Start("CustomWorker", host.Address));

        // The custom worker joined by seed and registered its own handler.
        var client = await cluster.ConnectAsync(host);
        var nodes = await Eventually.Until(() => client.GetNodesAsync(), view => view.Nodes.Any(n => n.TaskNames.Contains("reverse")), Limit,
            "a worker node handling \"reverse\" registered");
        var node = Assert.Single(nodes.Nodes);
        Assert.Equal(["reverse"], node.TaskNames);

        var run = cluster.Track(SampleProcess.Start("Client", host.Address, "hello, lighthouse"));
        var exit = await run.WaitForExitAsync(Limit);

        Assert.True(exit == 0, $"the client sample exited {exit}.\n{cluster.Logs()}");
        var submitted = Assert.Single(run.Log.Stdout, line => line.StartsWith("submitted ", StringComparison.Ordinal));
        var taskId = submitted["submitted ".Length..];
        Assert.Contains($"{taskId} Succeeded on {node.Node}: \"esuohthgil ,olleh\"", run.Log.Stdout);
        // The host's own account of the task agrees.
        var info = await client.GetAsync(taskId);
        Assert.Equal((TaskState.Succeeded, node.Node, "\"esuohthgil ,olleh\"", "sample"), (info.State, info.Node, info.Result, info.UserId));
        Assert.False(worker.HasExited, $"the custom worker sample exited.\n{worker.Log}");
    }

    [Fact]
    public async Task The_all_in_one_sample_runs_a_task_and_exits_0()
    {
        await using var cluster = new LocalCluster();
        var app = cluster.Track(SampleProcess.Start("AllInOne"));

        var exit = await app.WaitForExitAsync(Limit);

        Assert.True(exit == 0, $"the all-in-one sample exited {exit}.\n{app.Log}");
        Assert.Contains(app.Log.Stdout, line => GreetLine().IsMatch(line));
    }

    [Fact]
    public void The_packages_have_one_version_and_depend_on_each_other_at_it()
    {
        foreach (var library in PackedSamples.Libraries)
        {
            var nuspec = samples.Nuspec(library);
            var ns = nuspec.Root!.Name.Namespace;
            Assert.Equal(samples.Version, nuspec.Descendants(ns + "version").Single().Value);
            var dependencies = nuspec.Descendants(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
            if (library != "Lighthouse.Actors") Assert.Equal(samples.Version, dependencies["Lighthouse.Actors"]);
            if (library != "Lighthouse.Persistence.Sql")
                Assert.DoesNotContain(dependencies.Keys, id => DatabasePackages.Any(db => id.StartsWith(db, StringComparison.OrdinalIgnoreCase)));
        }
    }

    [Theory]
    [InlineData("Client")]
    [InlineData("CustomWorker")]
    [InlineData("AllInOne")]
    public void A_program_built_on_the_packages_resolves_the_versions_the_repository_pins(string program)
    {
        var resolved = samples.ResolvedPackages(program);
        var central = samples.CentralVersions();

        // Every package the repository pins and the program uses, at the repository's version: what the tests ran with.
        var differing = central.Where(pin => resolved.TryGetValue(pin.Key, out var version) && version != pin.Value)
            .Select(pin => $"{pin.Key} {resolved[pin.Key]} (the repository pins {pin.Value})").ToList();
        Assert.True(differing.Count == 0, $"{program} resolved other versions than the repository's: {string.Join("; ", differing)}");
        // Not vacuous: the pins that were once missed are among them.
        foreach (var id in new[] { "Akka", "Akka.Remote", "Google.Protobuf", "OpenTelemetry", "OpenTelemetry.Api", "Microsoft.Extensions.ObjectPool" })
            Assert.True(resolved.ContainsKey(id), $"{program} does not use {id}");
        Assert.Equal(samples.Version, resolved["Lighthouse.Actors"]);
        // No database driver: the journal is Lighthouse.Persistence.Sql's, which none of the samples takes.
        Assert.DoesNotContain(resolved.Keys, id => DatabasePackages.Any(db => id.StartsWith(db, StringComparison.OrdinalIgnoreCase)));
    }

    [GeneratedRegex("""^greet task-\d+ Succeeded on \S+: "Hello, world!"$""")]
    private static partial Regex GreetLine();
}
