using System.Diagnostics;
using Akka.Actor;
using Akka.Serialization;
using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse.Benchmarks;

/// <summary>
/// Serialize + deserialize rate and size of the hot protocol messages: the Lighthouse serializer
/// against Akka's default (Newtonsoft JSON) serializer, which these messages would use without it.
///   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- serialization [--quick]
/// </summary>
internal static class SerializationBenchmark
{
    public static void Run(string[] args)
    {
        var measure = TimeSpan.FromSeconds(args.Contains("--quick") ? 0.2 : 1.0);
        using var system = ActorSystem.Create("serialization-benchmark", "akka.loglevel = WARNING");
        var ours = new LighthouseSerializer((ExtendedActorSystem)system);
        // The system has no Lighthouse bindings, so this is what protocol messages would get by default.
        var fallback = system.Serialization.FindSerializerFor(new GetTaskStatus("task-1"));

        var messages = HotMessages().ToList();

        // Warm every path first: tiered JIT keeps delaying its optimized recompilation while new
        // methods are still being compiled, which would penalize whichever message is measured first.
        foreach (var message in messages)
        {
            RoundTrip(message, ours, measure);
            RoundTrip(message, fallback, measure);
        }

        Console.WriteLine($"serialize + deserialize, best of {Rounds} rounds of {measure.TotalSeconds:0.#} s; default = {fallback.GetType().Name}");
        Console.WriteLine($"{"message",-20} {"ours msg/s",12} {"default msg/s",14} {"speed-up",9} {"ours bytes",11} {"default bytes",14}");
        foreach (var message in messages)
        {
            var ourRate = BestRate(message, ours, measure);
            var defaultRate = BestRate(message, fallback, measure);
            Console.WriteLine($"{message.GetType().Name,-20} {ourRate,12:N0} {defaultRate,14:N0} {ourRate / defaultRate,8:0.0}x {WireSize(ours, message),11} {WireSize(fallback, message),14}");
        }
        Console.WriteLine("bytes = payload + manifest, as both travel in Akka.Remote's envelope");
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    private static IEnumerable<object> HotMessages()
    {
        var submitted = new DateTimeOffset(2025, 6, 1, 12, 30, 15, TimeSpan.Zero);
        const string taskId = "0193a7c2-5d1e-7b3a-9c41-2f6e8d0b1a57";
        yield return new SubmitTask("echo", """{"message": "hello", "n": 42}""", "alice", 0,
            new Dictionary<string, double> { ["cpu"] = 1 }, SubmissionId: "5f0c7b8e-2a41-4d3b-8e9f-1c6a7d2b3e40");
        yield return new SubmissionAccepted(taskId, "5f0c7b8e-2a41-4d3b-8e9f-1c6a7d2b3e40", false);
        yield return new StartTask(taskId, "echo", """{"message": "hello", "n": 42}""", "alice", 0, 1);
        yield return new ReportProgress(taskId, 37.5);
        yield return new ReportSuccess(taskId, """{"message": "hello", "n": 42}""");
        yield return new GetTaskStatus(taskId);
        yield return new TaskInfo(taskId, "echo", "alice", 0, TaskState.Succeeded, 100, """{"message": "hello", "n": 42}""",
            null, "worker-1", 1, 3, submitted, submitted.AddMilliseconds(1), submitted.AddMilliseconds(2), null, false,
            "5f0c7b8e-2a41-4d3b-8e9f-1c6a7d2b3e40");
    }

    private const int Rounds = 3;

    // The best round is the one least disturbed by other work on the machine.
    private static double BestRate(object message, Serializer serializer, TimeSpan measure) =>
        Enumerable.Range(0, Rounds).Max(_ => RoundTrip(message, serializer, measure));

    private static double RoundTrip(object message, Serializer serializer, TimeSpan measure)
    {
        var type = message.GetType();
        var clock = Stopwatch.StartNew();
        long count = 0;
        while (clock.Elapsed < measure)
        {
            // Batches keep the clock out of the measurement.
            for (var i = 0; i < 1_000; i++)
            {
                var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
                var bytes = serializer.ToBinary(message);
                var read = serializer is SerializerWithStringManifest withManifest
                    ? withManifest.FromBinary(bytes, manifest)
                    : serializer.FromBinary(bytes, type);
                if (read.GetType() != type) throw new InvalidOperationException($"{serializer.GetType().Name} read {read.GetType().Name} for {type.Name}");
            }
            count += 1_000;
        }
        return count / clock.Elapsed.TotalSeconds;
    }

    private static int WireSize(Serializer serializer, object message) =>
        serializer.ToBinary(message).Length + System.Text.Encoding.UTF8.GetByteCount(Akka.Serialization.Serialization.ManifestFor(serializer, message));
}
