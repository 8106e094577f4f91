using Lighthouse.Chaos;
using Lighthouse.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Lighthouse.IntegrationTests.Chaos;

/// <summary>
/// The chaos harness of issue 13 (tests/Chaos, shared with <c>Lighthouse.Benchmarks -- chaos</c>) for a minute with a
/// fixed seed: three hosts on PostgreSQL and three workers, clients on LighthouseClient and on every host's HTTP API,
/// workers and the scheduler's host killed, paused and stopped. Asserts the promises of docs/durability.md, never timings.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const int Seed = 14;

    [Fact]
    public async Task Under_a_minute_of_kills_pauses_and_restarts_every_accepted_task_ends_exactly_once_with_its_own_result()
    {
        var runDirectory = Path.Combine(Path.GetTempPath(), $"lighthouse-it-chaos-{Guid.NewGuid():N}");
        var options = new ChaosOptions(
            Seed,
            TimeSpan.FromSeconds(60),
            Quick: true,
            ManagedProcess.ProgramPath("lighthouse.dll"),
            ManagedProcess.ProgramPath("lighthouse-worker.dll"),
            RepositoryRoot(),
            runDirectory,
            output.WriteLine);
        try
        {
            var report = await ChaosRun.RunAsync(options).WaitAsync(options.HardLimit + TimeSpan.FromMinutes(2));
            output.WriteLine(report.Text());

            Assert.NotEmpty(report.Faults);
            Assert.True(report.Verdict.Accepted >= 100, $"only {report.Verdict.Accepted} submissions were accepted: the load did not run");
            Assert.Equal(0, report.Verdict.Lost);
            Assert.Equal(0, report.Verdict.Duplicates);
            Assert.Equal(0, report.Verdict.WrongResults);
            Assert.Equal(0, report.Verdict.InterleavedWriters);
            Assert.True(report.Holds, $"seed {Seed}: {string.Join("\n", report.Verdict.Violations.Take(20))}\nlogs in {runDirectory}");
            // Pauses are not deaths: no host or worker exits because the cluster removed it; it joins again by itself.
            Assert.DoesNotContain(report.Faults.SelectMany(f => f.Notes), note => note.Contains("exited on its own", StringComparison.Ordinal));
            // Every kill of the scheduler's host is traced through the survivors' logs to the successor's recovery.
            var kills = report.Faults.Where(f => f.Kind == FaultKind.KillSchedulerHost).Select(f => f.Number).ToList();
            Assert.Equal(kills, report.Timeline.Select(t => t.Fault));
            Assert.All(report.Timeline, t => Assert.All(t.Phases.Take(5), p => Assert.True(p.At is not null, $"fault #{t.Fault}: phase \"{p.Phase}\" not found in the logs: {t}")));
            Directory.Delete(runDirectory, recursive: true);
        }
        finally
        {
            ChaosProcess.KillAll();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "deps", "postgresql.sh"))) return dir.FullName;
        throw new DirectoryNotFoundException($"scripts/deps/postgresql.sh was not found above {AppContext.BaseDirectory}");
    }
}
