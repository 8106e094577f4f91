// Lighthouse inside one application: a single-node cluster that is the scheduler, a worker with a "greet" handler and
// a client at once, all through Akka.Hosting. It runs one task, prints its result and exits (0 when it succeeded).
//
//   dotnet run --project samples/AllInOne
//
// The scheduler keeps its state in memory here. For a durable one, take the Lighthouse.Persistence.Sql package and
// write WithLighthouseSqlScheduler(SqlDurabilitySettings.Sqlite("lighthouse.db")) instead of WithLighthouseScheduler(),
// or pass WithLighthouseScheduler the DurabilitySettings of another Akka.Persistence plugin (docs/durability.md).
using System.Text.Json.Nodes;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Lighthouse;
using Lighthouse.Hosting;
using Lighthouse.Protocol;
using Lighthouse.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder();
builder.Services.AddAkka(LighthouseNames.ActorSystem, akka => akka
    // Loopback and any free port: nothing outside this process needs to reach it.
    .WithRemoting("127.0.0.1", 0)
    // Both roles: this node runs the scheduler singleton ("scheduler") and a worker hub ("worker").
    .WithClustering(new ClusterOptions { Roles = [LighthouseNames.SchedulerRole, LighthouseNames.WorkerRole] })
    // No seed nodes to join: the node forms a cluster of its own once started.
    .AddStartup((system, _) => Cluster.Get(system).Join(Cluster.Get(system).SelfAddress))
    .WithLighthouseScheduler()
    .WithLighthouseWorker(worker => worker.Handle("greet", task =>
        Task.FromResult<JsonNode?>(JsonValue.Create($"Hello, {task.Payload.GetString()}!"))))
    // Without hosts: a client inside the cluster, talking to the scheduler singleton through a proxy.
    .WithLighthouseClient());

using var app = builder.Build();
await app.StartAsync();

// The client WithLighthouseClient registered. RunAsync submits and waits for the end in one call.
var client = app.Services.GetRequiredService<ActorRegistry>().GetLighthouseClient();
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
var info = await client.RunAsync("greet", "\"world\"", userId: "sample", cancellationToken: timeout.Token);
Console.WriteLine($"greet {info.TaskId} {info.State} on {info.Node}: {info.Result ?? info.Error}");

await app.StopAsync();
return info.State == TaskState.Succeeded ? 0 : 1;
