namespace Lighthouse.Protocol;

/// <summary>
/// Several protocol messages for one recipient, sent as one: the recipient handles them in order, each as if it
/// had come alone from the batch's sender. On a busy link one remote message (one envelope, one serializer call,
/// one mailbox hop at each end) then carries many submissions, starts, reports or answers instead of one; that is
/// what lets the end-to-end rate reach tens of thousands of tasks per second on two cores.
/// <para>
/// Built by an <see cref="Lighthouse.Messaging.Outbox"/>, which batches only for recipients that understand batches (Lighthouse's own
/// client, scheduler, node link and worker agent); a lone message always travels alone, so a plain <c>Ask</c>
/// never gets a batch. Batches do not nest.
/// </para>
/// </summary>
public sealed record MessageBatch(IReadOnlyList<object> Messages);
