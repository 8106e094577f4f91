using System.CommandLine;
using Lighthouse.Client;
using Lighthouse.Host.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Cli;

/// <summary><c>lighthouse submit NAME</c>: submits a task, and with <c>--wait</c> follows it to its end.</summary>
public static class SubmitCommand
{
    private const string Name = "submit";
    private const string Description = "Submit a task to the scheduler and print its id; with --wait, follow it to its end.";

    public const string Details =
        """
        The task runs on a worker node that handles NAME, accepts its priority and has its requirements free.
        Without --user the task is submitted as $USER, or as "anonymous" when $USER is unset.
        Output: "submitted task ID", or with --json {"id": "ID"}. With --wait, the progress and final status as for
        'lighthouse wait' (with --json only the final task status object), and the exit code tells how the task ended:
        0 succeeded, 1 failed, 3 cancelled.
        A submission that must be retried after a timeout is sent with the same submission id, so it is never queued twice.
        Policies (docs/task-policies.md): --retries N starts a task whose handler failed (or timed out) again, up to N more
        times, after --retry-backoff, doubling each time up to --retry-max-backoff; --run-timeout bounds each attempt's
        running time (not --timeout, which is how long this command waits for the host's answer); --delay or --not-before
        keeps the task waiting until then; --after ID,ID starts it only once every listed task (of the same user) has succeeded,
        and cancels it when one fails or is cancelled; --concurrency-key KEY runs it under a cluster-wide limit (see
        'lighthouse limits'). Durations: 500ms, 2s, 1.5m, 1h, 1d (a bare number is seconds).


        """ + ClientExitCodes.Help;

    public static Command Create(TextReader stdin)
    {
        var name = new Argument<string>("name") { Description = "The task name: which handler runs it, e.g. echo." };
        var payload = new Option<string>("--payload")
        {
            Description = "The task's JSON payload, or @FILE to read it from a file (@- from stdin).",
            HelpName = "JSON|@FILE",
            DefaultValueFactory = _ => "{}",
        };
        var user = new Option<string?>("--user") { Description = "Whose task it is (fair share is per user). Default $USER, or anonymous.", HelpName = "USER" };
        var priority = new Option<int>("--priority") { Description = "The task's priority within its user's queue. Default 0.", HelpName = "P" };
        var require = new Option<string?>("--require") { Description = "Resources the task takes while it runs, e.g. cpu=2,gpu=1.", HelpName = "RESOURCE=QUANTITY,..." };
        var immune = new Option<string?>("--immune") { Description = "Resources the task is immune to (it may run where they are negative, e.g. wards).", HelpName = "RESOURCE,..." };
        var aversion = new Option<string?>("--aversion") { Description = "Aversion groups: tasks of a group avoid sharing a node.", HelpName = "GROUP,..." };
        var maxAttempts = new Option<int?>("--max-attempts") { Description = "How many times the task may be started (a lost node costs one). Default: the scheduler's.", HelpName = "N" };
        var retries = new Option<int?>("--retries") { Description = "Start the task again up to N more times when its handler fails or it times out.", HelpName = "N" };
        var retryBackoff = new Option<string?>("--retry-backoff") { Description = "The wait before the first retry; it doubles for each next one. Default 0.", HelpName = "DURATION" };
        var retryMaxBackoff = new Option<string?>("--retry-max-backoff") { Description = "The longest wait between retries. Default: the scheduler's max-retry-backoff.", HelpName = "DURATION" };
        var runTimeout = new Option<string?>("--run-timeout") { Description = "How long one attempt may run before it is cancelled and fails \"timed out\".", HelpName = "DURATION" };
        var delay = new Option<string?>("--delay") { Description = "Start the task no sooner than this long after the scheduler receives it.", HelpName = "DURATION" };
        var notBefore = new Option<string?>("--not-before") { Description = "Start the task no sooner than this ISO-8601 time, e.g. 2025-01-31T10:42:03Z.", HelpName = "TIME" };
        var after = new Option<string?>("--after") { Description = "Start the task only once these tasks have succeeded (cancel it if one fails or is cancelled).", HelpName = "ID,..." };
        var concurrencyKey = new Option<string?>("--concurrency-key") { Description = "Run under this key's cluster-wide limit of tasks running at once.", HelpName = "KEY" };
        var wait = new Option<bool>("--wait") { Description = "Wait until the task has finished, showing its progress; exit 1 if it failed, 3 if cancelled." };
        var command = new Command(Name, Description) { name, payload, user, priority, require, immune, aversion, maxAttempts, retries, retryBackoff, retryMaxBackoff, runTimeout, delay, notBefore, after, concurrencyKey, wait };

        return ClientCommand.Build(command,
            // Everything is checked before anything is sent: a bad option submits nothing.
            parsed => new SubmitTask(
                parsed.GetValue(name)!,
                SubmitInput.Payload(parsed.GetValue(payload)!, stdin),
                parsed.GetValue(user) ?? SubmitInput.DefaultUser(),
                parsed.GetValue(priority),
                SubmitInput.Requirements(parsed.GetValue(require)),
                SubmitInput.Names("--immune", parsed.GetValue(immune)),
                SubmitInput.Names("--aversion", parsed.GetValue(aversion)),
                SubmitInput.MaxAttempts(parsed.GetValue(maxAttempts)),
                LighthouseClient.NewSubmissionId())
            {
                Retry = SubmitInput.Retry(parsed.GetValue(retries), parsed.GetValue(retryBackoff), parsed.GetValue(retryMaxBackoff)),
                Timeout = SubmitInput.Duration("--run-timeout", parsed.GetValue(runTimeout)),
                Delay = SubmitInput.Duration("--delay", parsed.GetValue(delay)),
                NotBefore = SubmitInput.Instant("--not-before", parsed.GetValue(notBefore)),
                After = SubmitInput.TaskIds("--after", parsed.GetValue(after)),
                ConcurrencyKey = SubmitInput.Key("--concurrency-key", parsed.GetValue(concurrencyKey)),
            },
            async (call, submission) =>
            {
                var id = await call.Lighthouse.SubmitAsync(submission, call.Cancellation).ConfigureAwait(false);
                if (call.Parsed.GetValue(wait))
                {
                    if (!call.Settings.Json) call.Output.WriteLine($"submitted task {id}");
                    return await WaitCommand.FollowAsync(call, id).ConfigureAwait(false);
                }
                call.Print(() => TaskIdJson.Format(id), () => $"submitted task {id}" + Environment.NewLine);
                return ExitCodes.Success;
            });
    }
}
