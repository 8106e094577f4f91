using System.Diagnostics.Metrics;
using Lighthouse.Protocol;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Lighthouse.Host.Web.Metrics;

/// <summary>
/// The scheduler's numbers as OpenTelemetry instruments, exported by OpenTelemetry's Prometheus exporter on
/// <c>/metrics</c>: queue depth, running tasks, finished/succeeded/failed/cancelled counters per task name, the
/// dispatch latency histogram (submit to start), worker nodes and slots, per concurrency key its running and waiting
/// tasks with a counter of the waits, and the task policies' counters (retries, timeouts, quota waits) and waiting tasks
/// (delayed, retrying, waiting for dependencies or a concurrency key). Gauges and counters read the
/// snapshot taken by <see cref="Refresh"/> just before each scrape, so they are as fresh as the scrape itself.
/// </summary>
public sealed class LighthouseMetrics : IDisposable
{
    /// <summary>Dispatch latency buckets in seconds: from a millisecond (an idle cluster) to ten minutes (a long queue).</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600];

    private readonly Meter _meter;
    private readonly Histogram<double> _latency;
    private readonly WaitTimeObservations _waits = new();
    private readonly Lock _refreshing = new();
    private volatile Snapshot? _snapshot;

    public LighthouseMetrics()
    {
        // Meters are process-wide and a provider listens by meter name: a name of its own keeps two web apps in
        // one process (tests, embedding) from exporting each other's numbers.
        _meter = new Meter($"Lighthouse.{Guid.NewGuid():N}");
        _meter.CreateObservableGauge("lighthouse.scheduler.up", () => _snapshot is { Up: true } ? 1 : 0,
            description: "1 when the scheduler answered the last scrape's queries, else 0");
        _meter.CreateObservableGauge("lighthouse.tasks.queued", () => Current<int>(s => [new(s.Queues!.Queued)]), "{task}",
            "Tasks waiting in the users' queues");
        _meter.CreateObservableGauge("lighthouse.tasks.running", () => Current<int>(s => [new(s.Queues!.Running)]), "{task}",
            "Tasks running on worker nodes");
        Counter("lighthouse.tasks.finished", "Tasks finished, whatever their outcome", s => s.Finished);
        Counter("lighthouse.tasks.succeeded", "Tasks that succeeded", s => s.Succeeded);
        Counter("lighthouse.tasks.failed", "Tasks that failed", s => s.Failed);
        Counter("lighthouse.tasks.cancelled", "Tasks cancelled", s => s.Cancelled);
        _latency = _meter.CreateHistogram("lighthouse.dispatch.latency", "s",
            "Wait from submission to start of finished tasks, per task name",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _meter.CreateObservableGauge("lighthouse.workers", () => Current<int>(s => Workers(s.Nodes!)), "{node}",
            "Registered worker nodes by reachability");
        _meter.CreateObservableCounter("lighthouse.concurrency_key.waits", () => Current<long>(s => s.Limits is { } l ? [new(l.Waits)] : []), "{task}",
            "Times a task had to wait for a slot of its concurrency key (since the scheduler started or last recovered)");
        _meter.CreateObservableGauge("lighthouse.concurrency_key.running", () => Current<int>(s => PerKey(s.Limits, k => k.Running)), "{task}",
            "Running tasks per concurrency key");
        _meter.CreateObservableGauge("lighthouse.concurrency_key.waiting", () => Current<int>(s => PerKey(s.Limits, k => k.Waiting)), "{task}",
            "Tasks waiting for a slot of their concurrency key, per key");
        // The task policies (docs/task-policies.md, "Metrics"): counters since the scheduler started or recovered, and the tasks
        // waiting for a policy now. None of those tasks is in lighthouse_tasks_queued, which counts the users' queues.
        _meter.CreateObservableCounter("lighthouse.task.retries", () => Current<long>(s => Policy(s, p => p.Retries)), "{attempt}",
            "Failed attempts sent to wait for a retry (since the scheduler started or last recovered)");
        _meter.CreateObservableCounter("lighthouse.task.timeouts", () => Current<long>(s => Policy(s, p => p.Timeouts)), "{attempt}",
            "Attempts failed by their task's timeout_ms, ended by the worker or by the scheduler's enforcement (since the scheduler started or last recovered)");
        _meter.CreateObservableCounter("lighthouse.user.quota_waits", () => Current<long>(s => Policy(s, p => p.QuotaWaits)), "{wait}",
            "Times a user's next task began to wait because the user ran as many tasks as its max-running quota (once per wait; since the scheduler started or last recovered)");
        _meter.CreateObservableGauge("lighthouse.tasks.delayed", () => Current<int>(s => Policy(s, p => p.Delayed)), "{task}",
            "Tasks waiting for their not-before time (delay_ms, not_before)");
        _meter.CreateObservableGauge("lighthouse.tasks.retrying", () => Current<int>(s => Policy(s, p => p.Retrying)), "{task}",
            "Tasks waiting for their retry's back-off to pass");
        _meter.CreateObservableGauge("lighthouse.tasks.waiting_for_dependencies", () => Current<int>(s => Policy(s, p => p.WaitingForDependencies)), "{task}",
            "Tasks waiting for their parents (after) to succeed");
        _meter.CreateObservableGauge("lighthouse.tasks.waiting_for_concurrency_key", () => Current<int>(s => Policy(s, p => p.WaitingForKey)), "{task}",
            "Tasks waiting for a slot of their concurrency key");
        _meter.CreateObservableGauge("lighthouse.slots", () => Current<int>(s => Slots(s.Nodes!)), "{slot}",
            "Slots of reachable worker nodes, busy or free");
        ProcessMetrics.AddTo(_meter);

        Provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService("lighthouse"))
            .AddMeter(_meter.Name)
            .AddPrometheusExporter(options =>
            {
                // Each scrape refreshes from the scheduler first; a cached answer would show the previous one.
                options.ScrapeResponseCacheDurationMilliseconds = 0;
                options.ScopeInfoEnabled = false;
            })
            .Build();
    }

    /// <summary>The provider whose Prometheus exporter serves <c>/metrics</c>.</summary>
    public MeterProvider Provider { get; }

    /// <summary>Takes the scheduler's current views (or notes it did not answer) and records the waits new since the last refresh.</summary>
    public void Refresh(QueuesView? queues, StatisticsView? statistics, NodesView? nodes, ConcurrencyLimitsView? limits = null)
    {
        lock (_refreshing)
        {
            if (queues is null || statistics is null || nodes is null)
            {
                _snapshot = new Snapshot(false, null, null, null, null);
                return;
            }
            foreach (var wait in _waits.Next(statistics))
            {
                var tag = new KeyValuePair<string, object?>("task_name", wait.TaskName);
                for (var i = 0; i < wait.Count; i++) _latency.Record(wait.MeanSeconds, tag);
            }
            _snapshot = new Snapshot(true, queues, statistics, nodes, limits);
        }
    }

    public void Dispose()
    {
        Provider.Dispose();
        _meter.Dispose();
    }

    private void Counter(string name, string description, Func<TaskNameStatistics, int> count) =>
        _meter.CreateObservableCounter(name, () => Current<long>(s => s.Statistics!.TaskNames
            .Select(t => new Measurement<long>(count(t), new KeyValuePair<string, object?>("task_name", t.TaskName)))), "{task}", description);

    private IEnumerable<Measurement<T>> Current<T>(Func<Snapshot, IEnumerable<Measurement<T>>> read) where T : struct =>
        _snapshot is { Up: true } snapshot ? read(snapshot) : [];

    private static IEnumerable<Measurement<int>> Workers(NodesView nodes) =>
    [
        new(nodes.Nodes.Count(n => n.State == WorkerNodeState.Reachable), new KeyValuePair<string, object?>("state", "reachable")),
        new(nodes.Nodes.Count(n => n.State == WorkerNodeState.Unreachable), new KeyValuePair<string, object?>("state", "unreachable")),
    ];

    private static IEnumerable<Measurement<int>> Slots(NodesView nodes)
    {
        var reachable = nodes.Nodes.Where(n => n.State == WorkerNodeState.Reachable).ToList();
        return
        [
            new(reachable.Sum(n => n.Slots - n.FreeSlots), new KeyValuePair<string, object?>("state", "busy")),
            new(reachable.Sum(n => n.FreeSlots), new KeyValuePair<string, object?>("state", "free")),
        ];
    }

    /// <summary>One figure of the policies; nothing from a scheduler that does not give them.</summary>
    private static IEnumerable<Measurement<T>> Policy<T>(Snapshot snapshot, Func<PolicyStatistics, T> read) where T : struct =>
        snapshot.Statistics!.Policies is { } policies ? [new Measurement<T>(read(policies))] : [];

    private static IEnumerable<Measurement<int>> PerKey(ConcurrencyLimitsView? limits, Func<ConcurrencyKeyView, int> count) =>
        limits is null ? [] : limits.Keys.Select(k => new Measurement<int>(count(k), new KeyValuePair<string, object?>("key", k.Key)));

    private sealed record Snapshot(bool Up, QueuesView? Queues, StatisticsView? Statistics, NodesView? Nodes, ConcurrencyLimitsView? Limits);
}
