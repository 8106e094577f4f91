namespace Lighthouse.Chaos;

/// <summary>
/// One chaos run: the seed every random choice comes from, how long faults are injected under load, and where the
/// programs are. <see cref="Quick"/> is the test suite's short version: the same cluster, fewer lanes, shorter gaps.
/// </summary>
internal sealed record ChaosOptions(
    int Seed,
    TimeSpan Duration,
    bool Quick,
    string HostDll,
    string WorkerDll,
    string RepositoryRoot,
    string RunDirectory,
    Action<string> Log)
{
    /// <summary>Echo tasks submitted as fast as possible before the faults start (<see cref="ChaosWarmup"/>); 0: none (the test suite's run).</summary>
    public int WarmTasks { get; init; }

    /// <summary>Lanes submitting through one <c>LighthouseClient</c> that knows all three hosts.</summary>
    public int ClientLanes => Quick ? 3 : 4;

    /// <summary>Lanes submitting over HTTP, one per host to begin with (each moves to another host when its own fails).</summary>
    public int HttpLanes => 3;

    /// <summary>Slots per worker.</summary>
    public int Slots => 4;

    /// <summary>The pause between one fault's end (the cluster whole again) and the next fault.</summary>
    public (TimeSpan Min, TimeSpan Max) Gap => Quick ? (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)) : (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20));

    /// <summary>Everything the run does, faults, recovery and the final check included, ends within this.</summary>
    public TimeSpan HardLimit => Duration + TimeSpan.FromMinutes(Quick ? 5 : 10);
}
