using Akka.Actor;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// A tiny worker node agent for the web tests, speaking <c>WorkerProtocol</c>: it registers, then runs tasks by name:
/// <c>echo</c> reports 50 % and succeeds with its payload; <c>fail</c> fails with <c>boom</c>; <c>hold</c> reports 30 %
/// and runs until cancelled (or <see cref="Finish"/>, <see cref="Fail"/>; so do <c>render</c> and <c>transcode</c>); <c>sleep</c> reports 40 % and succeeds after the payload's
/// number of milliseconds.
/// </summary>
internal sealed class TestWorker : ReceiveActor, IWithTimers
{
    private readonly Dictionary<string, StartTask> _running = new(StringComparer.Ordinal);
    private IActorRef? _contact;

    public TestWorker(IActorRef scheduler, RegisterWorker registration)
    {
        Receive<WorkerRegistered>(_ => _contact = Sender);
        Receive<WorkerRegistrationRejected>(rejected => throw new InvalidOperationException(rejected.Reason));
        Receive<StartTask>(Start);
        Receive<CancelRunningTask>(Cancel);
        // The scheduler sends starts and cancels batched when it has several for this node at once.
        Receive<MessageBatch>(batch =>
        {
            foreach (var message in batch.Messages)
            {
                switch (message)
                {
                    case StartTask start: Start(start); break;
                    case CancelRunningTask cancel: Cancel(cancel); break;
                }
            }
        });
        Receive<Finish>(finish =>
        {
            if (_running.Remove(finish.TaskId, out var task)) _contact!.Tell(new ReportSuccess(task.TaskId, task.Payload));
        });
        Receive<Fail>(fail =>
        {
            if (_running.Remove(fail.TaskId)) _contact!.Tell(new ReportFailure(fail.TaskId, fail.Error));
        });
        Receive<Progress>(progress =>
        {
            if (_running.ContainsKey(progress.TaskId)) _contact!.Tell(new ReportProgress(progress.TaskId, progress.Percent));
        });
        Receive<ReportRejected>(_ => { });
        scheduler.Tell(registration);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private void Cancel(CancelRunningTask cancel)
    {
        if (_running.Remove(cancel.TaskId)) _contact!.Tell(new AcknowledgeCancel(cancel.TaskId));
    }

    /// <summary>Ends a running task with success (its payload as result).</summary>
    public sealed record Finish(string TaskId);

    /// <summary>Reports progress of a running task.</summary>
    public sealed record Progress(string TaskId, double Percent);

    /// <summary>Ends a running task with failure.</summary>
    public sealed record Fail(string TaskId, string Error);

    public static readonly string[] TaskNames = ["echo", "fail", "hold", "sleep", "render", "transcode"];

    public static Props Props(IActorRef scheduler, RegisterWorker registration) =>
        Akka.Actor.Props.Create(() => new TestWorker(scheduler, registration));

    public static RegisterWorker Registration(string node, int slots, IReadOnlyDictionary<string, double>? resources = null, PriorityRange? priorities = null) =>
        new(node, resources ?? new Dictionary<string, double> { ["cpu"] = 8, ["memory"] = 16 }, TaskNames, priorities ?? PriorityRange.All, slots);

    private void Start(StartTask start)
    {
        var contact = _contact!;
        switch (start.TaskName)
        {
            case "echo":
                contact.Tell(new ReportProgress(start.TaskId, 50));
                contact.Tell(new ReportSuccess(start.TaskId, start.Payload));
                break;
            case "fail":
                contact.Tell(new ReportFailure(start.TaskId, "boom"));
                break;
            case "hold":
            case "render":
            case "transcode":
                _running[start.TaskId] = start;
                contact.Tell(new ReportProgress(start.TaskId, 30));
                break;
            case "sleep":
                _running[start.TaskId] = start;
                contact.Tell(new ReportProgress(start.TaskId, 40));
                var delay = TimeSpan.FromMilliseconds(int.Parse(start.Payload, System.Globalization.CultureInfo.InvariantCulture));
                Timers.StartSingleTimer(start.TaskId, new Finish(start.TaskId), delay);
                break;
            default:
                contact.Tell(new ReportFailure(start.TaskId, $"the test worker has no handler for {start.TaskName}"));
                break;
        }
    }
}
