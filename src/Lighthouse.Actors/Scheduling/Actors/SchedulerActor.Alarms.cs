using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// Task policies that act by time (docs/task-policies.md): one timer for every delayed task, retry back-off and timeout.
public sealed partial class SchedulerActor
{
    private const string AlarmTimer = "task-alarms";

    /// <summary>
    /// The longest the alarm timer is set for. A later alarm is reached in steps: a wall clock set back or forward while
    /// the scheduler waits is noticed within this, and no timer is ever asked for a year.
    /// </summary>
    private static readonly TimeSpan LongestAlarm = TimeSpan.FromMinutes(1);

    private long _alarmsVersion;

    /// <summary>Sets the one alarm timer for the earliest due time or deadline (or cancels it when there is none).</summary>
    private void ArmAlarms()
    {
        _alarmsVersion = _state.Alarms.Version;
        if (_state.Alarms.NextWake is not { } wake)
        {
            Timers.Cancel(AlarmTimer);
            return;
        }
        var delay = wake - Now;
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        else if (delay > LongestAlarm) delay = LongestAlarm;
        Timers.StartSingleTimer(AlarmTimer, AlarmsDue.Instance, delay);
    }

    /// <summary>
    /// The alarm rang: due tasks are queued, overdue ones ended (failed, retried, or cancelled when a cancel was pending),
    /// and their workers told to stop them once that is durable. Then the timer is set for the next alarm.
    /// </summary>
    private void Alarms()
    {
        var decision = _state.DecideAlarms(Now);
        Record(decision.Events);
        foreach (var (taskId, node) in decision.Cancels)
        {
            if (_links.TryGetValue(node, out var link))
                ReplyAfterWrites(new CancelRunningTask(taskId), link.Child, Delivery.ToNode);
        }
        ArmAlarms();
    }
}
