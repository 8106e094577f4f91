using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lighthouse.Client;
using Lighthouse.Protocol;

namespace Lighthouse.Chaos;

/// <summary>
/// The clients: lanes that submit one task after another, each with a submission id of its own, and follow it to its
/// end, recording everything in the <see cref="ChaosHistory"/>. Client lanes share one <see cref="LighthouseClient"/>
/// that knows all three hosts; HTTP lanes each start on one host's API and move to the next host when theirs fails,
/// resending the same submission id (as a load balancer with retries would). A lane that gets no answer resends until
/// it does or <see cref="GiveUp"/> passes; every wait is bounded by the run's hard token.
/// </summary>
internal sealed class ChaosLoad
{
    /// <summary>How long a lane keeps resending one request before recording it unanswered and moving on.</summary>
    public static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(120);

    private const int Users = 16;
    private static readonly TimeSpan HttpPoll = TimeSpan.FromMilliseconds(150);

    private readonly ChaosHistory _history;
    private readonly ChaosCluster _cluster;

    public ChaosLoad(ChaosHistory history, ChaosCluster cluster)
    {
        _history = history;
        _cluster = cluster;
    }

    /// <summary>Every user a lane submits as (the checker lists each one's tasks at the end).</summary>
    public static IEnumerable<string> AllUsers => Enumerable.Range(0, Users).Select(UserName).Append(ChaosProbe.User);

    private static string UserName(int i) => $"chaos-u{i.ToString("00", CultureInfo.InvariantCulture)}";

    /// <summary>What one lane submits next: mostly echo, some sleep, fail, cancelled sleep and echo with requirements.</summary>
    private sealed record Plan(SubmissionKind Kind, string TaskName, string Payload, string User, int? MaxAttempts, IReadOnlyDictionary<string, double>? Requirements, TimeSpan CancelAfter)
    {
        public static Plan Next(Random random, string lane, int n)
        {
            var user = UserName(random.Next(Users));
            var roll = random.Next(100);
            var pad = Convert.ToHexString(RandomBytes(random, random.Next(0, 24)));
            var echo = $"{{\"lane\":\"{lane}\",\"n\":{n.ToString(CultureInfo.InvariantCulture)},\"pad\":\"{pad}\"}}";
            return roll switch
            {
                < 45 => new Plan(SubmissionKind.Echo, "echo", echo, user, null, null, TimeSpan.Zero),
                < 65 => new Plan(SubmissionKind.Sleep, "sleep", $"{{\"ms\":{random.Next(50, 1500).ToString(CultureInfo.InvariantCulture)}}}", user,
                    // A quarter with fewer attempts than the default, so that losing a worker can use them up.
                    random.Next(4) == 0 ? random.Next(1, 3) : null, null, TimeSpan.Zero),
                < 75 => new Plan(SubmissionKind.Fail, "fail", $"{{\"message\":\"chaos {lane} {n.ToString(CultureInfo.InvariantCulture)}\"}}", user, null, null, TimeSpan.Zero),
                < 87 => new Plan(SubmissionKind.Cancel, "sleep", $"{{\"ms\":{random.Next(1000, 4000).ToString(CultureInfo.InvariantCulture)}}}", user, null, null,
                    TimeSpan.FromMilliseconds(random.Next(0, 1500))),
                _ => new Plan(SubmissionKind.Requirements, "echo", echo, user, null, new Dictionary<string, double> { ["gpu"] = 1 }, TimeSpan.Zero),
            };
        }

        private static byte[] RandomBytes(Random random, int count)
        {
            var bytes = new byte[count];
            random.NextBytes(bytes);
            return bytes;
        }
    }

    // ---- through LighthouseClient --------------------------------------------------------------------------------

    public async Task ClientLaneAsync(LighthouseClient client, string lane, Random random, CancellationToken stop, CancellationToken hard)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var plan = Plan.Next(random, lane, n);
            var record = _history.New(plan.Kind, "client", plan.User, plan.TaskName, plan.Payload, plan.MaxAttempts);
            var submission = new SubmitTask(plan.TaskName, plan.Payload, plan.User, Requirements: plan.Requirements, MaxAttempts: plan.MaxAttempts,
                SubmissionId: record.SubmissionId);
            // Half the echo tasks go through RunAsync (submitted watched, the end pushed); a timed-out one is resent as a plain submission.
            if (plan.Kind == SubmissionKind.Echo && random.Next(2) == 0 && await RunOnceAsync(client, record, submission, hard)) continue;
            var taskId = await SubmitAsync(_history, client, record, submission, "client", hard);
            if (taskId is null) continue;
            if (plan.Kind == SubmissionKind.Cancel)
            {
                await Task.Delay(plan.CancelAfter, hard);
                await CancelAsync(client, record, taskId, hard);
            }
            await WaitAsync(_history, client, record, taskId, "client", hard);
            await Task.Delay(random.Next(20, 120), hard);
        }
    }

    /// <summary>True when RunAsync brought the end; false when the submission timed out (the caller resends it).</summary>
    private async Task<bool> RunOnceAsync(LighthouseClient client, SubmissionRecord record, SubmitTask submission, CancellationToken hard)
    {
        record.Sent();
        try
        {
            var end = await client.RunAsync(submission, cancellationToken: hard);
            record.Accepted(end.TaskId);
            record.Ended(EndOf(end, "client RunAsync"));
            return true;
        }
        catch (LighthouseUnavailableException)
        {
            _history.Trouble("client: RunAsync submission unanswered within the request timeout (resent)");
            return false;
        }
        catch (LighthouseRejectedException e)
        {
            record.Refused(e.Reason);
            return true;
        }
    }

    /// <summary>Sends the submission until the scheduler answers it (same submission id every time); null when refused or given up.</summary>
    public static async Task<string?> SubmitAsync(ChaosHistory history, LighthouseClient client, SubmissionRecord record, SubmitTask submission, string via, CancellationToken hard)
    {
        var giveUp = DateTimeOffset.UtcNow + GiveUp;
        while (DateTimeOffset.UtcNow < giveUp)
        {
            record.Sent();
            try
            {
                var taskId = await client.SubmitAsync(submission, hard);
                record.Accepted(taskId);
                return taskId;
            }
            catch (LighthouseUnavailableException)
            {
                history.Trouble($"{via}: submission unanswered within the request timeout (resent)");
            }
            catch (LighthouseRejectedException e) when (e.Code == RejectionCode.QueueFull)
            {
                history.Trouble($"{via}: queue full (resent)");
                await Task.Delay(500, hard);
            }
            catch (LighthouseRejectedException e)
            {
                record.Refused(e.Reason);
                return null;
            }
        }
        history.Trouble($"{via}: submission given up after {GiveUp.TotalSeconds:0} s");
        return null;
    }

    private async Task CancelAsync(LighthouseClient client, SubmissionRecord record, string taskId, CancellationToken hard)
    {
        record.CancelAsked = true;
        var giveUp = DateTimeOffset.UtcNow + GiveUp;
        while (DateTimeOffset.UtcNow < giveUp)
        {
            try
            {
                await client.CancelAsync(taskId, hard);
                return;
            }
            catch (LighthouseUnavailableException)
            {
                _history.Trouble("client: cancel unanswered within the request timeout (resent)");
            }
            catch (LighthouseUnknownTaskException)
            {
                _history.Trouble("client: cancel of an accepted task answered \"unknown task\"");
                return;
            }
        }
    }

    /// <summary>Waits for the task's end (asking again after a timeout); records it. An "unknown task" answer is recorded and retried for a while: the checker judges it.</summary>
    public static async Task WaitAsync(ChaosHistory history, LighthouseClient client, SubmissionRecord record, string taskId, string via, CancellationToken hard)
    {
        var giveUp = DateTimeOffset.UtcNow + GiveUp;
        while (DateTimeOffset.UtcNow < giveUp)
        {
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(hard);
                bounded.CancelAfter(GiveUp);
                var end = await client.WaitAsync(taskId, cancellationToken: bounded.Token);
                record.Ended(EndOf(end, via));
                return;
            }
            catch (LighthouseUnavailableException)
            {
                history.Trouble($"{via}: wait unanswered within the request timeout (asked again)");
            }
            catch (LighthouseUnknownTaskException)
            {
                history.Trouble($"{via}: wait for an accepted task answered \"unknown task\"");
                await Task.Delay(1000, hard);
            }
            catch (OperationCanceledException) when (!hard.IsCancellationRequested)
            {
                history.Trouble($"{via}: no end within {GiveUp.TotalSeconds:0} s");
                return;
            }
        }
    }

    public static SeenEnd EndOf(TaskInfo info, string via) =>
        new(info.State, info.Result, info.Error, info.Attempts, info.Node, info.StartedAt, DateTimeOffset.UtcNow, via);

    // ---- over HTTP -----------------------------------------------------------------------------------------------

    public async Task HttpLaneAsync(int first, string lane, Random random, CancellationToken stop, CancellationToken hard)
    {
        // Longer than the gateway's own ask timeout, so that an answer the host does give is not cut short.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var host = first;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var plan = Plan.Next(random, lane, n);
            var record = _history.New(plan.Kind, "http", plan.User, plan.TaskName, plan.Payload, plan.MaxAttempts);
            var body = new JsonObject
            {
                ["name"] = plan.TaskName,
                ["payload"] = JsonNode.Parse(plan.Payload),
                ["user"] = plan.User,
                ["submission_id"] = record.SubmissionId,
            };
            if (plan.MaxAttempts is { } attempts) body["max_attempts"] = attempts;
            if (plan.Requirements is { } requirements) body["requirements"] = new JsonObject(requirements.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value)));
            var text = body.ToJsonString();

            string? taskId = null;
            var giveUp = DateTimeOffset.UtcNow + GiveUp;
            while (taskId is null && DateTimeOffset.UtcNow < giveUp && record.Refusal is null)
            {
                record.Sent();
                var answer = await SendAsync(http, HttpMethod.Post, host, "/api/tasks", text, hard);
                switch (answer)
                {
                    case { Status: HttpStatusCode.Created or HttpStatusCode.OK, Json: { } json }:
                        taskId = json.RootElement.GetProperty("id").GetString()!;
                        record.Accepted(taskId);
                        break;
                    case { Status: HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, Json: { } refusal }:
                        record.Refused(refusal.RootElement.GetProperty("error").GetString() ?? "refused");
                        break;
                    default:
                        host = await NextHostAsync(host, answer, "submission", hard);
                        break;
                }
                answer?.Json?.Dispose();
            }
            if (taskId is null)
            {
                if (record.Refusal is null) _history.Trouble("http: submission given up");
                continue;
            }

            if (plan.Kind == SubmissionKind.Cancel)
            {
                await Task.Delay(plan.CancelAfter, hard);
                record.CancelAsked = true;
                giveUp = DateTimeOffset.UtcNow + GiveUp;
                while (DateTimeOffset.UtcNow < giveUp)
                {
                    var answer = await SendAsync(http, HttpMethod.Delete, host, "/api/tasks/" + taskId, null, hard);
                    answer?.Json?.Dispose();
                    if (answer?.Status is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.Conflict) break;
                    if (answer?.Status == HttpStatusCode.NotFound) { _history.Trouble("http: cancel of an accepted task answered 404"); break; }
                    host = await NextHostAsync(host, answer, "cancel", hard);
                }
            }

            giveUp = DateTimeOffset.UtcNow + GiveUp;
            while (DateTimeOffset.UtcNow < giveUp)
            {
                var answer = await SendAsync(http, HttpMethod.Get, host, "/api/tasks/" + taskId, null, hard);
                if (answer is { Status: HttpStatusCode.OK, Json: { } json })
                {
                    using (json)
                    {
                        if (EndOf(json.RootElement, $"http h{host + 1}") is { } end)
                        {
                            record.Ended(end);
                            break;
                        }
                    }
                    await Task.Delay(HttpPoll, hard);
                }
                else if (answer?.Status == HttpStatusCode.NotFound)
                {
                    answer.Json?.Dispose();
                    _history.Trouble("http: status of an accepted task answered 404");
                    await Task.Delay(1000, hard);
                }
                else
                {
                    answer?.Json?.Dispose();
                    host = await NextHostAsync(host, answer, "status", hard);
                }
            }
            await Task.Delay(random.Next(20, 120), hard);
        }
    }

    private sealed record HttpAnswer(HttpStatusCode Status, JsonDocument? Json);

    /// <summary>One request; null when no answer came (refused connection, timeout).</summary>
    private async Task<HttpAnswer?> SendAsync(HttpClient http, HttpMethod method, int host, string path, string? body, CancellationToken hard)
    {
        using var request = new HttpRequestMessage(method, new Uri(_cluster.Hosts[host].Web, path));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        try
        {
            using var response = await http.SendAsync(request, hard);
            var text = await response.Content.ReadAsStringAsync(hard);
            JsonDocument? json = null;
            try { json = text.Length > 0 ? JsonDocument.Parse(text) : null; }
            catch (JsonException) { }
            return new HttpAnswer(response.StatusCode, json);
        }
        catch (HttpRequestException)
        {
            _history.Trouble($"http: connection to a host failed ({method})");
            return null;
        }
        catch (TaskCanceledException) when (!hard.IsCancellationRequested)
        {
            _history.Trouble($"http: no answer within 15 s ({method})");
            return null;
        }
    }

    /// <summary>Records why the request failed and moves to the next host (after a short pause, so a dead cluster is not hammered).</summary>
    private async Task<int> NextHostAsync(int host, HttpAnswer? answer, string what, CancellationToken hard)
    {
        if (answer is not null) _history.Trouble($"http: {what} answered {(int)answer.Status}{(answer.Status == HttpStatusCode.TooManyRequests ? " (queue full)" : "")}");
        await Task.Delay(200, hard);
        return (host + 1) % _cluster.Hosts.Count;
    }

    /// <summary>The end a task's JSON shows, or null while it is queued or running.</summary>
    private static SeenEnd? EndOf(JsonElement task, string via)
    {
        var state = task.GetProperty("state").GetString() switch
        {
            "succeeded" => TaskState.Succeeded,
            "failed" => TaskState.Failed,
            "cancelled" => TaskState.Cancelled,
            _ => (TaskState?)null,
        };
        if (state is null) return null;
        var result = task.GetProperty("result") is { ValueKind: not JsonValueKind.Null } r ? r.GetRawText() : null;
        var error = task.GetProperty("error").GetString();
        var node = task.GetProperty("node").GetString();
        var started = task.GetProperty("started_at") is { ValueKind: JsonValueKind.String } s ? DateTimeOffset.Parse(s.GetString()!, CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
        return new SeenEnd(state.Value, result, error, task.GetProperty("attempts").GetInt32(), node, started, DateTimeOffset.UtcNow, via);
    }
}
