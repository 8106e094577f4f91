using System.Text.Json.Nodes;
using Lighthouse.Protocol;

namespace Lighthouse.IntegrationTests.EndToEnd;

/// <summary>
/// The whole way of a task over real processes: client or command line → host's receptionist → scheduler singleton →
/// worker process → back. Every task of every user must come back succeeded with exactly its own payload.
/// </summary>
public sealed class EchoTasksTests(TwoEchoWorkers workers) : IClassFixture<TwoEchoWorkers>
{
    private static readonly string[] Users = ["alice", "bob", "carol", "dave"];

    private EndToEndCluster Cluster => workers.Cluster;

    /// <summary>Payloads of several JSON shapes, each naming its user and number, so that a result given to the wrong task shows.</summary>
    private static string Payload(string user, int n) => (n % 3) switch
    {
        0 => $"{{\"user\": \"{user}\", \"n\": {n}, \"text\": \"caf\\u00e9 \\\"{n}\\\"\"}}",
        1 => $"[\"{user}\", {n}, true, null, {{\"nested\": [{n}]}}]",
        _ => $"\"{user}-{n}\"",
    };

    [Fact]
    public async Task A_thousand_echo_tasks_from_four_users_pipelined_through_the_client_all_succeed_with_their_own_payloads()
    {
        var client = Cluster.Client;
        var submissions = Enumerable.Range(0, 1000).Select(n => (User: Users[n % Users.Length], Payload: Payload(Users[n % Users.Length], n))).ToList();

        // All submitted at once: the client pipelines them over one connection.
        var ids = await Task.WhenAll(submissions.Select(s => client.SubmitAsync("echo", s.Payload, s.User))).WaitAsync(EndToEndCluster.Limit);
        var done = await Task.WhenAll(ids.Select(id => client.WaitAsync(id))).WaitAsync(EndToEndCluster.Limit);

        Assert.Equal(ids.Length, ids.Distinct().Count());
        for (var i = 0; i < submissions.Count; i++)
        {
            var (user, payload) = submissions[i];
            Assert.True(done[i].State == TaskState.Succeeded, $"task {ids[i]} of {user} ended {done[i].State}: {done[i].Error}");
            Assert.Equal((ids[i], "echo", user, payload, 1), (done[i].TaskId, done[i].TaskName, done[i].UserId, done[i].Result, done[i].Attempts));
            Assert.Contains(done[i].Node, Cluster.Workers.Keys);
        }
        // Two slots per worker and a thousand tasks: both workers took part.
        Assert.Equal(["w1", "w2"], done.Select(t => t.Node!).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Forty_echo_tasks_from_four_users_through_lighthouse_submit_and_wait_with_json_succeed_with_their_own_payloads()
    {
        var host = Cluster.Host.Address;
        var submissions = Enumerable.Range(0, 40).Select(n => (User: Users[n % Users.Length], Payload: Payload(Users[n % Users.Length], n))).ToList();
        // A few commands at a time: each is a process of its own, and the machine has two cores.
        using var gate = new SemaphoreSlim(4);

        var ids = await Task.WhenAll(submissions.Select(s => Limited(gate, async () =>
        {
            var printed = (await CliProcess.RunAsync("submit", "echo", "--payload", s.Payload, "--user", s.User, "--host", host, "--json")).Json();
            return printed["id"]!.GetValue<string>();
        })));
        var statuses = await Task.WhenAll(ids.Select(id => Limited(gate, async () =>
            (await CliProcess.RunAsync("wait", id, "--host", host, "--json")).Json())));

        Assert.Equal(ids.Length, ids.Distinct().Count());
        for (var i = 0; i < submissions.Count; i++)
        {
            var (user, payload) = submissions[i];
            var status = statuses[i];
            Assert.Equal((ids[i], "echo", user, "succeeded", 1, null), (S(status["id"]), S(status["name"]), S(status["user"]), S(status["state"]),
                status["attempts"]!.GetValue<int>(), status["error"]?.ToJsonString()));
            // "result" is the task's JSON value itself, pretty-printed by the command: compare it as JSON.
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(payload), status["result"]), $"task {ids[i]}: result {status["result"]?.ToJsonString()}, payload {payload}");
            Assert.Contains(S(status["node"]), Cluster.Workers.Keys);
            // And character for character, as the scheduler keeps it.
            Assert.Equal(payload, (await Cluster.Client.GetAsync(ids[i])).Result);
        }
    }

    private static string? S(JsonNode? node) => node?.GetValue<string>();

    private static async Task<T> Limited<T>(SemaphoreSlim gate, Func<Task<T>> run)
    {
        await gate.WaitAsync();
        try
        {
            return await run();
        }
        finally
        {
            gate.Release();
        }
    }
}
