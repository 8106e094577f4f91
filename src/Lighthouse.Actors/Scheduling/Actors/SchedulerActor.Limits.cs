using Akka.Event;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// Concurrency limits changed at runtime by an admin (docs/task-policies.md); who may ask is the Authorization table's.
public sealed partial class SchedulerActor
{
    /// <summary>
    /// Applies and journals the change, then answers with the key as it now is (after the write, like a submission's
    /// acceptance); tasks it lets through are dispatched at once.
    /// </summary>
    private void SetLimit(SetConcurrencyLimit set)
    {
        var decision = _state.DecideConcurrencyLimit(set, Now);
        if (decision.Events.Count == 0)
        {
            Answer(decision);
            return;
        }
        Record(decision.Events, dispatch: false);
        _log.Info("concurrency key {0}: runtime limit {1}", set.Key, set.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "removed");
        ReplyAfterWrites(Reply(new ConcurrencyLimitSet(_state.KeyView(set.Key))), Sender, ClientDelivery);
        Dispatch();
    }
}
