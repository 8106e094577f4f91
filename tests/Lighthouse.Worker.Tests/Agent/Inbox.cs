using Akka.Actor;
using Akka.TestKit;
using Lighthouse.Protocol;

namespace Lighthouse.Worker.Tests.Agent;

/// <summary>
/// A probe that talks to the worker agent (as its contact, or as any other sender) and reads what the agent sends
/// back one protocol message at a time, whether it came alone or inside a <see cref="MessageBatch"/>: which of the two
/// shapes reports take can depend on timing. Batches seen are kept, for the tests that prove batching.
/// </summary>
internal sealed class Inbox(TestProbe probe)
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly Queue<object> _pending = new();

    public TestProbe Probe => probe;
    public IActorRef Ref => probe.Ref;

    /// <summary>The batches received so far, in order.</summary>
    public List<MessageBatch> Batches { get; } = [];

    public void Send(IActorRef to, object message) => probe.Send(to, message);

    /// <summary>The next message, unpacked from its batch if it came in one; null when none comes within <paramref name="within"/>.</summary>
    public object? Receive(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (_pending.Count == 0)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return null;
            switch (probe.ReceiveOne(left))
            {
                case null:
                    return null;
                case MessageBatch batch:
                    Batches.Add(batch);
                    foreach (var message in batch.Messages) _pending.Enqueue(message);
                    break;
                case var message:
                    _pending.Enqueue(message);
                    break;
            }
        }
        return _pending.Dequeue();
    }

    /// <summary>The next message, which must be a <typeparamref name="T"/>.</summary>
    public T Expect<T>()
    {
        var message = Receive(Wait);
        Assert.True(message is not null, $"no {typeof(T).Name} within {Wait}");
        return Assert.IsType<T>(message);
    }

    /// <summary>The next <typeparamref name="T"/>, skipping progress reports (collected in <paramref name="progress"/>).</summary>
    public T Next<T>(List<ReportProgress>? progress = null)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var message = Receive(deadline - DateTime.UtcNow);
            switch (message)
            {
                case null:
                    Assert.Fail($"no {typeof(T).Name} within {Wait}");
                    break;
                case T wanted:
                    return wanted;
                case ReportProgress report:
                    progress?.Add(report);
                    break;
                default:
                    Assert.Fail($"expected {typeof(T).Name}, got {message}");
                    break;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> messages, in the order received.</summary>
    public List<object> Take(int count)
    {
        var taken = new List<object>(count);
        for (var i = 0; i < count; i++)
        {
            var message = Receive(Wait);
            Assert.True(message is not null, $"message {i + 1} of {count} did not come within {Wait}; got {string.Join(", ", taken)}");
            taken.Add(message);
        }
        return taken;
    }

    /// <summary>Nothing more, neither waiting from an earlier batch nor arriving within <paramref name="duration"/>.</summary>
    public void ExpectNone(TimeSpan duration)
    {
        Assert.Empty(_pending);
        probe.ExpectNoMsg(duration);
    }
}
