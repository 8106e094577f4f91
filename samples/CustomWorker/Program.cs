// A worker node with a task handler of its own. It joins the cluster of a running Lighthouse host by seed and runs
// "reverse" tasks ({"text": "..."} → the text reversed) until Ctrl+C; the host's scheduler sends it every "reverse"
// task, whoever submits it (samples/Client does).
//
//   dotnet run --project src/Lighthouse.Host -- serve --no-local-worker     # a host on 127.0.0.1:4053
//   dotnet run --project samples/CustomWorker -- 127.0.0.1:4053              # this worker, seeded by that host
using System.Text.Json.Nodes;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Lighthouse;
using Lighthouse.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var seed = args.Length > 0 ? args[0] : $"127.0.0.1:{LighthouseNames.DefaultClusterPort}";

var builder = Host.CreateApplicationBuilder();
// Every member of a Lighthouse cluster names its ActorSystem "lighthouse".
builder.Services.AddAkka(LighthouseNames.ActorSystem, akka => akka
    // This node's own address: any free port; in a real cluster, the address the host can reach it at.
    .WithRemoting("127.0.0.1", 0)
    .WithClustering(new ClusterOptions
    {
        SeedNodes = [$"akka.tcp://{LighthouseNames.ActorSystem}@{seed}"],
        // "worker": the role the scheduler's cluster expects of a worker node (it runs no scheduler).
        Roles = [LighthouseNames.WorkerRole],
    })
    // The worker hub: registers with the scheduler singleton, and again whenever the scheduler moves.
    .WithLighthouseWorker(worker =>
    {
        worker.Slots = 2;                                      // tasks at once on this node
        worker.Handle("reverse", async task =>
        {
            var text = task.Payload.GetProperty("text").GetString() ?? "";
            task.Progress.Report(50);                          // 0–100, shown by `lighthouse status`
            await Task.Delay(100, task.CancellationToken);     // stands for real work; cancelling fires the token
            return JsonValue.Create(new string(text.Reverse().ToArray()));   // the task's result (JSON); throw to fail it
        });
    }));

Console.WriteLine($"custom worker: joining the Lighthouse cluster at {seed}, handling \"reverse\"");
await builder.Build().RunAsync();
