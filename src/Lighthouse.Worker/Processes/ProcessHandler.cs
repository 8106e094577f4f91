using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lighthouse.Worker.Processes;

/// <summary>
/// Runs a task as a program: the payload JSON on its standard input (then closed), the result JSON from its standard
/// output, <c>progress N</c> lines on standard error as progress and the other lines kept for the error; exit code 0
/// is success. Each run is a process group of its own, stopped as a whole (SIGTERM, then SIGKILL after the stop grace)
/// on cancel, timeout, an over-large result and when the worker stops; whatever is left in the group when its
/// leader ends is killed. The payload is only ever data on standard input, never a word of the command.
/// </summary>
public sealed class ProcessHandler
{
    // Once the leader has ended and the group is killed, the pipes close at once; only a process that left the group
    // (setsid) can hold them open, and it is not waited for longer than this.
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);

    private static readonly JsonDocumentOptions Strict = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    private readonly ConcurrentDictionary<Run, byte> _runs = new();

    public ProcessHandler(string taskName, ProcessHandlerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TaskName = taskName;
        Options = options.Copy();
        if (Options.Problem() is { } problem) throw new ArgumentException($"task name \"{taskName}\": {problem}", nameof(options));
    }

    public string TaskName { get; }

    /// <summary>A snapshot of the options given.</summary>
    public ProcessHandlerOptions Options { get; }

    /// <summary>How many runs have a process group not yet ended.</summary>
    public int Running => _runs.Count;

    /// <summary>Runs one task; the result is checked JSON text. Failures are <see cref="TaskFailedException"/>s; a cancel ends in <see cref="OperationCanceledException"/>.</summary>
    public async Task<string> RunAsync(TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Options.WorkingDirectory is { } directory && !Directory.Exists(directory))
            throw new TaskFailedException($"working directory \"{directory}\" does not exist on this worker");
        ProcessGroup group;
        try
        {
            group = await ProcessGroup.StartAsync(Options.Command, EnvironmentFor(context), Options.WorkingDirectory, Options.Nice ?? context.LaneNice).ConfigureAwait(false);
        }
        catch (ProcessStartException e)
        {
            throw new TaskFailedException(e.Message);
        }

        var run = new Run(group, Options.StopGrace);
        _runs[run] = 0;
        try
        {
            return await run.CompleteAsync(context, Options).ConfigureAwait(false);
        }
        finally
        {
            _runs.TryRemove(run, out _);
        }
    }

    /// <summary>Stops every running process group of this handler (SIGTERM, then SIGKILL after the grace) and waits for them: for a stopping worker.</summary>
    public Task StopAllAsync() => Task.WhenAll(_runs.Keys.Select(run => run.Stop(StopReason.WorkerStopping)));

    /// <summary>The worker's environment without its own LIGHTHOUSE_* variables, the configured ones, and the task's.</summary>
    private Dictionary<string, string> EnvironmentFor(TaskContext context)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (!name.StartsWith(ProcessHandlerOptions.ReservedPrefix, StringComparison.Ordinal)) environment[name] = (string?)entry.Value ?? "";
        }
        foreach (var (name, value) in Options.Environment) environment[name] = value;
        environment["LIGHTHOUSE_TASK_ID"] = context.TaskId;
        environment["LIGHTHOUSE_TASK_NAME"] = context.TaskName;
        environment["LIGHTHOUSE_USER"] = context.UserId;
        environment["LIGHTHOUSE_ATTEMPT"] = context.Attempt.ToString(CultureInfo.InvariantCulture);
        return environment;
    }

    private enum StopReason { None, Cancelled, TimedOut, ResultTooLarge, WorkerStopping }

    /// <summary>One run of the program: its group, its streams, and why it was stopped, if it was.</summary>
    private sealed class Run(ProcessGroup group, TimeSpan grace)
    {
        private readonly Lock _lock = new();
        private Task<bool>? _stopping;

        public StopReason Reason { get; private set; }

        /// <summary>Starts stopping the group for <paramref name="reason"/> (the first reason given is kept); answers whether SIGKILL was needed.</summary>
        public Task<bool> Stop(StopReason reason)
        {
            lock (_lock)
            {
                if (_stopping is not null) return _stopping;
                Reason = reason;
                return _stopping = group.StopAsync(grace);
            }
        }

        public async Task<string> CompleteAsync(TaskContext context, ProcessHandlerOptions options)
        {
            var errors = new StandardErrorLines(context.Progress);
            await using var cancel = context.CancellationToken.Register(() => Stop(StopReason.Cancelled));
            using var timer = options.Timeout is { } timeout ? new Timer(_ => Stop(StopReason.TimedOut), null, timeout, System.Threading.Timeout.InfiniteTimeSpan) : null;
            using var drain = new CancellationTokenSource();

            var writing = WriteAsync(group.StandardInput, context.PayloadText);
            var reading = ReadResultAsync(group.StandardOutput, options.MaxResultBytes, drain.Token);
            var readingErrors = ReadErrorsAsync(group.StandardError, errors, drain.Token);

            var status = await group.Exited.ConfigureAwait(false);
            // The leader is gone: whatever it left running in its group goes too, and the pipes close.
            group.Signal(Posix.SigKill);
            try
            {
                await Task.WhenAll(writing, reading, readingErrors).WaitAsync(DrainLimit).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await drain.CancelAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A pipe that failed is judged below by what was read from it.
            }
            errors.Complete();
            var killed = _stopping is { } stopping && await stopping.ConfigureAwait(false);
            group.StandardInput.Dispose();
            group.StandardOutput.Dispose();
            group.StandardError.Dispose();

            var tail = errors.Tail;
            string WithTail(string text) => tail.Length == 0 ? text : $"{text}: {tail}";
            var how = killed ? $"its process group was sent SIGTERM, then SIGKILL after {Seconds(grace)}" : "its process group was sent SIGTERM";
            switch (Reason)
            {
                case StopReason.Cancelled:
                    throw new OperationCanceledException("the task was cancelled", context.CancellationToken);
                case StopReason.TimedOut:
                    throw new TaskFailedException(WithTail($"timed out after {Seconds(options.Timeout!.Value)}, the timeout of \"{context.TaskName}\"; {how}"));
                case StopReason.ResultTooLarge:
                    throw new TaskFailedException(WithTail($"the result on standard output is over {options.MaxResultBytes.ToString(CultureInfo.InvariantCulture)} bytes, " +
                                                          $"the result cap (lighthouse.scheduler.max-payload-bytes); {how}"));
                case StopReason.WorkerStopping:
                    throw new TaskFailedException(WithTail($"the worker is stopping; {how}"));
            }
            if (!status.Succeeded) throw new TaskFailedException(WithTail(status.ToString()));
            if (reading.IsCompletedSuccessfully) return Check(reading.Result);
            throw new TaskFailedException("exit code 0, but standard output was still held open by a process that left the task's process group");
        }

        private static async Task WriteAsync(Stream input, string payload)
        {
            try
            {
                await using (input.ConfigureAwait(false))
                    await input.WriteAsync(Encoding.UTF8.GetBytes(payload)).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The program ended or closed its standard input without reading it all: its business.
            }
        }

        private async Task<byte[]> ReadResultAsync(Stream output, int cap, CancellationToken token)
        {
            var result = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await output.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
            {
                if (result.Length + read > cap)
                {
                    // The result cannot be used any more: stop the program rather than let it write on.
                    _ = Stop(StopReason.ResultTooLarge);
                    while (await output.ReadAsync(buffer, token).ConfigureAwait(false) > 0) { }
                    break;
                }
                result.Write(buffer, 0, read);
            }
            return result.ToArray();
        }

        private static async Task ReadErrorsAsync(Stream error, StandardErrorLines lines, CancellationToken token)
        {
            using var reader = new StreamReader(error, Encoding.UTF8);
            var buffer = new char[8 * 1024];
            int read;
            while ((read = await reader.ReadAsync(buffer, token).ConfigureAwait(false)) > 0) lines.Append(buffer.AsSpan(0, read));
        }

        private static string Check(byte[] output)
        {
            var text = Encoding.UTF8.GetString(output);
            if (text.Trim().Length == 0)
                throw new TaskFailedException("exit code 0, but nothing on standard output: the program must write its result as JSON (e.g. null or {})");
            try
            {
                using var document = JsonDocument.Parse(text, Strict);
            }
            catch (JsonException e)
            {
                throw new TaskFailedException($"exit code 0, but standard output is not JSON ({e.Message}): {(text.Length <= 200 ? text : text[..200] + "…")}");
            }
            return text.Trim();
        }

        private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
    }
}
