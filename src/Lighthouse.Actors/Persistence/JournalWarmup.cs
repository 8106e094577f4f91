using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace Lighthouse.Persistence;

/// <summary>
/// Pays the journal's first-use cost on every scheduler host soon after it joins (<see cref="AfterUp"/>), so that a standby host taking the scheduler
/// over does not pay it inside the fail-over: it recovers a persistence id that is never written
/// (<see cref="WarmupPersistenceId"/>), through the scheduler's own journal and snapshot plugins, and stops. That starts
/// the plugins (their connection pool, table checks) and runs once the three queries a recovery runs (latest
/// snapshot, highest sequence number, replay). Measured in the chaos harness: the first recovery on a standby host
/// took ~1.2 s of a kill -9 fail-over, most of it this first use (docs/durability.md "Fail-over, phase by phase").
/// Nothing is written; a failure is only logged (the scheduler reports its own when it recovers).
/// </summary>
public sealed class JournalWarmup : UntypedPersistentActor
{
    /// <summary>Never written: its recovery finds nothing and reads nothing but the empty answers.</summary>
    public const string WarmupPersistenceId = "lighthouse-journal-warmup";

    /// <summary>How long after this member is Up the warm-up starts: past the start-up's own burst of work and, when hosts start together, past the cluster's forming (5 s once overlapped both on 2 cores).</summary>
    public static readonly TimeSpan AfterUp = TimeSpan.FromSeconds(15);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly long _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    private readonly DurabilitySettings _durability;

    public JournalWarmup(DurabilitySettings durability)
    {
        _durability = durability;
        JournalPluginId = durability.JournalPluginId;
        SnapshotPluginId = durability.SnapshotPluginId;
    }

    public override string PersistenceId => WarmupPersistenceId;

    public static Props Props(DurabilitySettings durability) => Akka.Actor.Props.Create(() => new JournalWarmup(durability));

    protected override void OnRecover(object message)
    {
        if (message is not RecoveryCompleted) return;
        _log.Info("journal ready for a fail-over: the {0} answered a recovery in {1:0} ms", _durability.Describe(), System.Diagnostics.Stopwatch.GetElapsedTime(_startedAt).TotalMilliseconds);
        Context.Stop(Self);
    }

    protected override void OnCommand(object message) => Unhandled(message);

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _log.Warning("warming the journal up for a fail-over failed ({0}); the scheduler will open it when it starts", reason.Message);
        base.OnRecoveryFailure(reason, message);
    }
}
