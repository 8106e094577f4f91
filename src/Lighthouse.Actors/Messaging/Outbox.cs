using Akka.Actor;
using Lighthouse.Protocol;

namespace Lighthouse.Messaging;

/// <summary>
/// Outgoing protocol messages of one actor, held until its mailbox is drained and then sent with one
/// <see cref="MessageBatch"/> per recipient (split at <see cref="MaxMessages"/> messages or about
/// <see cref="MaxBytes"/> bytes, far below the remote frame size). The owner tells itself
/// <see cref="FlushOutbox"/> when <see cref="Add"/> says the outbox was empty, and calls <see cref="Flush"/> on it:
/// a lone request still leaves after one local hop, while a busy actor sends one remote message per recipient
/// for everything it decided meanwhile.
/// <para>
/// A busy owner (<see cref="Post"/> with <c>busy</c>: many tasks or calls in flight) holds its first message for
/// <see cref="Linger"/> instead, so that a steady trickle (a pipelined client submitting one task per finished one,
/// a worker whose tasks end one by one) still travels tens to a message; a quiet owner never waits.
/// </para>
/// <para>
/// Order per recipient is kept. A message added with <c>batchable: false</c> (a reply to someone who may not
/// understand batches, such as an <c>Ask</c>) is sent alone, in its place in that order.
/// </para>
/// </summary>
public sealed class Outbox
{
    /// <summary>The most messages one batch carries: below what <see cref="MaxBytes"/> allows for small messages (~340), so a busy outbox of small messages is "full" at this count.</summary>
    public const int MaxMessages = 256;

    /// <summary>
    /// Roughly the most bytes one batch carries (see <see cref="MessageSize"/>); a larger single message travels alone.
    /// Under .NET's 85 KB large-object threshold, so Akka.Remote's several copies of a batch stay ordinary allocations.
    /// </summary>
    public const int MaxBytes = 32 * 1024;

    /// <summary>How long a busy owner holds its messages; Akka's timers round it up to their tick (10 ms by default).</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(2);

    private const string LingerTimer = "lighthouse-outbox-linger";

    private readonly Dictionary<IActorRef, List<(object Message, bool Batchable)>> _pending = [];
    private readonly List<IActorRef> _recipients = [];
    private readonly Func<object, object>? _envelope;

    /// <param name="envelope">Wraps each message or batch as it is sent (e.g. in ClusterClient.Send); none by default.</param>
    public Outbox(Func<object, object>? envelope = null) => _envelope = envelope;

    /// <summary>Nothing waits to be sent.</summary>
    public bool IsEmpty => _recipients.Count == 0;

    /// <summary>Messages waiting, over all recipients.</summary>
    public int Count { get; private set; }

    /// <summary>Holds <paramref name="message"/> for <paramref name="to"/>; true when the outbox was empty, i.e. the owner must schedule a flush.</summary>
    public bool Add(IActorRef to, object message, bool batchable = true)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(message);
        if (message is MessageBatch) throw new ArgumentException("batches do not nest: add the messages one by one", nameof(message));
        var wasEmpty = IsEmpty;
        if (!_pending.TryGetValue(to, out var list))
        {
            list = [];
            _pending.Add(to, list);
            _recipients.Add(to);
        }
        list.Add((message, batchable));
        Count++;
        return wasEmpty;
    }

    /// <summary>
    /// Holds <paramref name="message"/> for <paramref name="to"/> and makes sure a flush comes: <paramref name="self"/>
    /// is told <see cref="FlushOutbox"/> at once, or after <see cref="Linger"/> when <paramref name="busy"/>; an outbox
    /// that holds a full batch is sent at once.
    /// </summary>
    public void Post(IActorRef self, ITimerScheduler timers, IActorRef to, object message, bool busy, bool batchable = true)
    {
        if (Add(to, message, batchable))
        {
            if (busy) timers.StartSingleTimer(LingerTimer, FlushOutbox.Instance, Linger);
            else self.Tell(FlushOutbox.Instance);
        }
        else if (Count >= MaxMessages)
        {
            Flush(self);
        }
    }

    /// <summary>Sends everything held, as <paramref name="sender"/> (each through the envelope, if any), and empties the outbox.</summary>
    public void Flush(IActorRef sender)
    {
        foreach (var (to, message) in Take()) to.Tell(_envelope is null ? message : _envelope(message), sender);
    }

    /// <summary>Empties the outbox into what to send: per recipient in the order added, batches where allowed.</summary>
    public List<(IActorRef To, object Message)> Take()
    {
        var sends = new List<(IActorRef, object)>(_recipients.Count);
        foreach (var to in _recipients)
        {
            var list = _pending[to];
            List<object>? run = null;
            var runBytes = 0;
            foreach (var (message, batchable) in list)
            {
                var size = batchable ? MessageSize.Estimate(message) : 0;
                if (!batchable || (run is not null && (run.Count >= MaxMessages || runBytes + size > MaxBytes)))
                {
                    Close(to, ref run, sends);
                    runBytes = 0;
                }
                if (!batchable)
                {
                    sends.Add((to, message));
                    continue;
                }
                (run ??= []).Add(message);
                runBytes += size;
            }
            Close(to, ref run, sends);
        }
        _pending.Clear();
        _recipients.Clear();
        Count = 0;
        return sends;
    }

    private static void Close(IActorRef to, ref List<object>? run, List<(IActorRef, object)> sends)
    {
        if (run is null) return;
        sends.Add((to, run.Count == 1 ? run[0] : new MessageBatch(run)));
        run = null;
    }
}
