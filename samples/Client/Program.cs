// A client of a Lighthouse host: submits one "reverse" task (samples/CustomWorker runs those) and waits for its end.
// It is not a cluster member: LighthouseClient reaches the host's scheduler through its cluster-client receptionist.
//
//   dotnet run --project samples/Client -- 127.0.0.1:4053 "hello, lighthouse"
//
// Exit code 0 when the task succeeded, 1 otherwise.
using System.Text.Json;
using Lighthouse;
using Lighthouse.Client;
using Lighthouse.Protocol;

var host = args.Length > 0 ? args[0] : $"127.0.0.1:{LighthouseNames.DefaultClusterPort}";
var text = args.Length > 1 ? args[1] : "hello, lighthouse";

// A bound on the whole program: connecting, submitting and waiting.
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

// Connects through a small ActorSystem of the client's own, which disposing the client terminates.
await using var client = await LighthouseClient.ConnectAsync(host, cancellationToken: timeout.Token);

// The payload is JSON text; the task waits in user "sample"'s queue until a worker that handles "reverse" is free.
var payload = JsonSerializer.Serialize(new { text });
var id = await client.SubmitAsync("reverse", payload, userId: "sample", cancellationToken: timeout.Token);
Console.WriteLine($"submitted {id}");

// Told the task's end by the scheduler (no polling). RunAsync would submit and wait in one call.
var info = await client.WaitAsync(id, cancellationToken: timeout.Token);
Console.WriteLine($"{info.TaskId} {info.State} on {info.Node}: {info.Result ?? info.Error}");
return info.State == TaskState.Succeeded ? 0 : 1;
