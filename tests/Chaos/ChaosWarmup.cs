using System.Diagnostics;
using System.Globalization;
using Lighthouse.Client;
using Lighthouse.Protocol;

namespace Lighthouse.Chaos;

/// <summary>
/// The high-throughput phase before the faults (issue 13: "fail-over time is measured at full retention"): as many
/// small <c>echo</c> tasks as <see cref="ChaosOptions.WarmTasks"/> says, submitted as fast as the cluster takes them,
/// then waited for until nothing is queued or running, so every fail-over after it recovers their finished records
/// (a snapshot and journal of that size). Their user is not one the checker reads; none is read
/// back (the users are <c>chaos-warm-0</c> … <c>-15</c>, spreading the queue over 16 per-user caps), so none is collected and, with fewer than the retention bound (retained-tasks-max, 100,000) in all, none of
/// the load's tasks is evicted for them.
/// </summary>
internal static class ChaosWarmup
{
    private const int Users = 16;
    private const int InFlight = 128;

    public static async Task RunAsync(ChaosCluster cluster, int count, Action<string> log, CancellationToken hard)
    {
        var clock = Stopwatch.StartNew();
        await using var client = await LighthouseClient.ConnectAsync(cluster.HostAddresses, new LighthouseClientOptions { RequestTimeout = TimeSpan.FromSeconds(30), LogLevel = "OFF" }, hard);
        var next = -1;
        var failed = 0;
        async Task Lane()
        {
            for (var n = Interlocked.Increment(ref next); n < count; n = Interlocked.Increment(ref next))
            {
                var id = n.ToString(CultureInfo.InvariantCulture);
                var submission = new SubmitTask("echo", $"{{\"warm\":{id}}}", $"chaos-warm-{(n % Users).ToString(CultureInfo.InvariantCulture)}", SubmissionId: $"warm-{id}");
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        await client.SubmitAsync(submission, hard);
                        break;
                    }
                    // A full queue (per-user cap) or a slow answer: the same submission id again, after a breath.
                    catch (LighthouseException) when (attempt < 20) { await Task.Delay(100, hard); }
                    catch (LighthouseException)
                    {
                        Interlocked.Increment(ref failed);
                        break;
                    }
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => Lane()));
        var submitted = clock.Elapsed;
        while (true)
        {
            var queues = await client.GetQueuesAsync(hard);
            if (queues.Queued == 0 && queues.Running == 0) break;
            await Task.Delay(250, hard);
        }
        log($"chaos: warm-up: {count:N0} echo tasks submitted in {submitted.TotalSeconds:0.0} s ({count / submitted.TotalSeconds:N0}/s), " +
            $"all finished after {clock.Elapsed.TotalSeconds:0.0} s ({failed} refused or unanswered)");
    }
}
