using Akka.Actor;
using Lighthouse.Protocol;

namespace Lighthouse.Tests.Shared;

/// <summary>
/// A worker node's agent in miniature, so client tests see tasks finish: <c>echo</c> succeeds with its payload,
/// <c>fail</c> fails with an error naming its payload, <c>hold</c> reports 50% and runs until cancelled.
/// No other task name is handled, so such tasks stay queued.
/// </summary>
internal sealed class TestWorkerAgent : ReceiveActor
{
    public static readonly string[] TaskNames = ["echo", "fail", "hold"];

    private readonly IActorRef _scheduler;
    private readonly string _node;
    private readonly int _slots;

    public TestWorkerAgent(IActorRef scheduler, string node, int slots)
    {
        _scheduler = scheduler;
        _node = node;
        _slots = slots;
        Receive<WorkerRegistered>(_ => { });
        // The scheduler sends starts and cancels batched when it has several at once.
        Receive<MessageBatch>(batch =>
        {
            foreach (var message in batch.Messages)
            {
                switch (message)
                {
                    case StartTask start: Start(start); break;
                    case CancelRunningTask cancel: Sender.Tell(new AcknowledgeCancel(cancel.TaskId)); break;
                }
            }
        });
        Receive<StartTask>(Start);
        Receive<CancelRunningTask>(cancel => Sender.Tell(new AcknowledgeCancel(cancel.TaskId)));
    }

    private void Start(StartTask start)
    {
        switch (start.TaskName)
        {
            case "echo":
                Sender.Tell(new ReportSuccess(start.TaskId, start.Payload));
                break;
            case "fail":
                Sender.Tell(new ReportFailure(start.TaskId, $"failed on purpose: {start.Payload}"));
                break;
            default:
                Sender.Tell(new ReportProgress(start.TaskId, 50));
                break;
        }
    }

    public static Props Props(IActorRef scheduler, string node = "test-worker", int slots = 64) =>
        Akka.Actor.Props.Create(() => new TestWorkerAgent(scheduler, node, slots));

    protected override void PreStart() =>
        _scheduler.Tell(new RegisterWorker(_node, new Dictionary<string, double> { ["cpu"] = 8 }, TaskNames, PriorityRange.All, _slots));
}
