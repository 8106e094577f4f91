using System.Collections.Concurrent;
using Lighthouse.Client;
using Lighthouse.Protocol;

namespace Lighthouse.Chaos;

/// <summary>
/// Measures recovery: every <see cref="Interval"/> a small <c>echo</c> is submitted through a client of its own (knowing
/// all three hosts, resending after 250 ms of silence) and followed to its end, without waiting for the previous one.
/// After a fault at t0, the first acceptance of a probe sent after t0 says when a new submission was accepted again,
/// and the first start of one says when dispatch resumed. Probes are tasks like any other: the checker checks them too.
/// </summary>
internal sealed class ChaosProbe
{
    public const string User = "chaos-probe";
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly ChaosHistory _history;
    private readonly ConcurrentQueue<SubmissionRecord> _probes = new();

    public ChaosProbe(ChaosHistory history) => _history = history;

    public static LighthouseClientOptions ClientOptions => new()
    {
        RequestTimeout = TimeSpan.FromSeconds(10),
        RetryInterval = TimeSpan.FromMilliseconds(250),
        WatchRefreshInterval = TimeSpan.FromMilliseconds(500),
        // The clients' troubles are counted in the history; Akka's own complaints about dead hosts would drown the report.
        LogLevel = "OFF",
    };

    public async Task RunAsync(LighthouseClient client, CancellationToken stop, CancellationToken hard)
    {
        var running = new List<Task>();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var payload = $"{{\"probe\":{n}}}";
            var record = _history.New(SubmissionKind.Probe, "probe", User, "echo", payload, null);
            _probes.Enqueue(record);
            running.Add(ProbeAsync(client, record, hard));
            running.RemoveAll(t => t.IsCompleted);
            try { await Task.Delay(Interval, stop); }
            catch (OperationCanceledException) { break; }
        }
        await Task.WhenAll(running);
    }

    private async Task ProbeAsync(LighthouseClient client, SubmissionRecord record, CancellationToken hard)
    {
        var submission = new SubmitTask("echo", record.Payload, User, SubmissionId: record.SubmissionId);
        if (await ChaosLoad.SubmitAsync(_history, client, record, submission, "probe", hard) is { } taskId)
            await ChaosLoad.WaitAsync(_history, client, record, taskId, "probe", hard);
    }

    /// <summary>
    /// The HTTP probe: every <see cref="Interval"/> one submission to the next host's API in turn (dead hosts included: a
    /// refused connection costs nothing), sent once with a 10 s timeout and not followed further. Says when a host's HTTP
    /// API accepted submissions again, which a client knowing all hosts (<see cref="RunAsync"/>) may see later or sooner.
    /// </summary>
    public async Task RunHttpAsync(ChaosCluster cluster, CancellationToken stop, CancellationToken hard)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var running = new List<Task>();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var host = cluster.Hosts[n % cluster.Hosts.Count];
            var payload = $"{{\"http_probe\":{n}}}";
            var record = _history.New(SubmissionKind.Probe, "http-probe", User, "echo", payload, null);
            _probes.Enqueue(record);
            running.Add(HttpProbeAsync(http, host, record, hard));
            running.RemoveAll(t => t.IsCompleted);
            try { await Task.Delay(Interval, stop); }
            catch (OperationCanceledException) { break; }
        }
        await Task.WhenAll(running);
    }

    private async Task HttpProbeAsync(HttpClient http, ChaosCluster.Slot host, SubmissionRecord record, CancellationToken hard)
    {
        var body = $"{{\"name\":\"echo\",\"user\":\"{User}\",\"submission_id\":\"{record.SubmissionId}\",\"payload\":{record.Payload}}}";
        record.Sent();
        try
        {
            using var response = await http.PostAsync(new Uri(host.Web, "/api/tasks"), new StringContent(body, System.Text.Encoding.UTF8, "application/json"), hard);
            if (response.StatusCode is System.Net.HttpStatusCode.Created or System.Net.HttpStatusCode.OK)
            {
                using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(hard));
                record.Accepted(json.RootElement.GetProperty("id").GetString()!);
            }
        }
        catch (HttpRequestException) { }
        catch (TaskCanceledException) when (!hard.IsCancellationRequested)
        {
            _history.Trouble("http-probe: no answer within 10 s");
        }
    }

    /// <summary>A probe that waited longer than this for its acceptance (or start) was disrupted by the fault.</summary>
    public static readonly TimeSpan Disrupted = TimeSpan.FromSeconds(1);

    /// <summary>
    /// From <paramref name="t0"/> to when submissions through <paramref name="via"/> (probe or http-probe) were accepted again
    /// for good: the latest acceptance of a probe sent in the fault's window [t0, <paramref name="until"/>] that waited more
    /// than <see cref="Disrupted"/>; when none waited that long, the first acceptance of one sent after t0. Null if none was accepted.
    /// A fault that disrupts late (a paused host waking up and downing others) is counted to its end, not to the first probe.
    /// </summary>
    public TimeSpan? AcceptedAgain(DateTimeOffset t0, DateTimeOffset until, string via = "probe") =>
        Recovered(t0, until, via, p => p.AcceptedAt is { } at ? (p.SentAt, at) : null);

    /// <summary>From <paramref name="t0"/> to the first acceptance of a client probe sent after it: the first sign of a working scheduler.</summary>
    public TimeSpan? FirstAccepted(DateTimeOffset t0) =>
        _probes.Where(p => p.Via == "probe" && p.SentAt >= t0 && p.AcceptedAt is not null).Select(p => p.AcceptedAt!.Value - t0).DefaultIfEmpty().Min() is var first && first > TimeSpan.Zero ? first : null;

    /// <summary>As <see cref="AcceptedAgain"/> for the probes' starts on a worker (by the scheduler's clock): when dispatch resumed for good.</summary>
    public TimeSpan? DispatchResumed(DateTimeOffset t0, DateTimeOffset until) =>
        Recovered(t0, until, "probe", p => p.Ends.Where(e => e.State == TaskState.Succeeded && e.StartedAt is not null).Select(e => e.StartedAt!.Value)
            .DefaultIfEmpty().Min() is var started && started != default ? (p.SentAt, started) : null);

    /// <summary>True once a probe sent after <paramref name="t0"/> was accepted and one has started: the first sign of recovery.</summary>
    public bool Recovering(DateTimeOffset t0) =>
        AcceptedAgain(t0, DateTimeOffset.UtcNow) is not null && DispatchResumed(t0, DateTimeOffset.UtcNow) is not null;

    private TimeSpan? Recovered(DateTimeOffset t0, DateTimeOffset until, string via, Func<SubmissionRecord, (DateTimeOffset Sent, DateTimeOffset At)?> time)
    {
        var times = _probes.Where(p => p.Via == via && p.SentAt >= t0).Select(time).OfType<(DateTimeOffset Sent, DateTimeOffset At)>().ToList();
        if (times.Count == 0) return null;
        var late = times.Where(t => t.Sent <= until && t.At - t.Sent > Disrupted).ToList();
        return (late.Count > 0 ? late.Max(t => t.At) : times.Min(t => t.At)) - t0;
    }
}
