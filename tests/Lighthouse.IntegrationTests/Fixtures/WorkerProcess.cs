namespace Lighthouse.IntegrationTests.Fixtures;

/// <summary>
/// <c>lighthouse-worker</c> as a real process joining a host on loopback. <see cref="StartAsync"/> returns once the worker
/// printed its start line (it then joins and registers on its own: observe the registration through a client).
/// </summary>
public sealed class WorkerProcess : ManagedProcess
{
    private WorkerProcess(string name, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
        : base($"worker {name}", "lighthouse-worker.dll", arguments, environment)
    {
        NodeName = name;
    }

    /// <summary>The node name the worker registers under (<c>--name</c>).</summary>
    public string NodeName { get; }

    /// <summary>
    /// Starts <c>lighthouse-worker --seed 127.0.0.1:SEED --name NAME --slots N</c> plus <paramref name="arguments"/>; without
    /// <c>--slots</c> when the arguments give lanes (<c>--lane</c>), which are the worker's slots.
    /// </summary>
    public static async Task<WorkerProcess> StartAsync(int seedPort, string name, int slots = 2, IEnumerable<string>? arguments = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var given = arguments?.ToList() ?? [];
        List<string> all = ["--seed", $"127.0.0.1:{seedPort}", "--name", name];
        if (!given.Contains("--lane")) all.AddRange(["--slots", slots.ToString()]);
        all.AddRange(given);
        var worker = new WorkerProcess(name, all, environment);
        try
        {
            await worker.WaitForLineAsync(line => line.StartsWith($"lighthouse-worker: node \"{name}\"", StringComparison.Ordinal), HostProcess.StartLimit, "the worker's start line");
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }
}
