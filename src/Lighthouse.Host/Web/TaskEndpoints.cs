using System.Globalization;
using Lighthouse.Host.Json;
using Lighthouse.Host.Web.Access;
using Lighthouse.Host.Web.Waits;
using Lighthouse.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lighthouse.Host.Web;

/// <summary>
/// <c>/api/tasks</c>: submit (POST), status (GET by id; <c>?peek=true</c> reads without collecting, <c>?wait=SECONDS</c>
/// answers when the task ends or after that long), cancel (DELETE by id) and a user's tasks (GET with <c>?user=</c>).
/// A user token (<see cref="ApiAccess"/>) submits and lists only as its user, and reads and cancels only its user's tasks:
/// the task is first read without collecting (so a refused read does not shorten its owner's retention), its owner
/// checked, and only then is the real request sent. A wait is a delay before that same read (<see cref="TaskWaits"/>), so
/// it answers and collects exactly as a plain GET would at the moment the task ended or the wait ran out.
/// </summary>
internal static class TaskEndpoints
{
    public static void MapTaskEndpoints(this IEndpointRouteBuilder routes, WebOptions options, SchedulerGateway scheduler, TaskWaits waits)
    {
        routes.MapPost("/api/tasks", async (HttpContext context, CancellationToken cancellation) =>
        {
            var request = context.Request;
            if (NotJson(request) is { } refused) return refused;
            var caller = context.Caller();
            using var body = await RequestBody.ReadJson(request, options.MaxBodyBytes, cancellation);
            // A user token's submission without "user" is its user's, not anonymous's.
            var submission = SubmissionJson.Read(body.RootElement, caller.User ?? SubmissionJson.DefaultUser);
            if (!caller.MayActFor(submission.UserId)) throw ApiAccess.CannotActFor(caller, submission.UserId);
            return await Submit(scheduler, submission, cancellation);
        });

        // ?peek=true reads without collecting (the monitor's task page), so that watching a result does not shorten its retention.
        // ?wait=SECONDS holds the request until the task ends (or that long) and then reads it as without ?wait.
        routes.MapGet("/api/tasks/{id}", async (HttpContext context, string id, string? peek, string? wait, CancellationToken cancellation) =>
        {
            var collect = !IsPeek(peek);
            var within = WaitOf(wait);
            var caller = context.Caller();
            if (!caller.Admin)
            {
                var looked = await OwnTask(scheduler, caller, id, cancellation);
                if (looked is not TaskInfo info || (!collect && (within is null || info.State.IsFinished()))) return StatusAnswer(looked);
            }
            if (within is { } patience) await waits.UntilEnded(id, patience, cancellation);
            return StatusAnswer(await scheduler.Ask(new GetTaskStatus(id, Collect: collect), cancellation));
        });

        routes.MapDelete("/api/tasks/{id}", async (HttpContext context, string id, CancellationToken cancellation) =>
        {
            var caller = context.Caller();
            if (!caller.Admin && await OwnTask(scheduler, caller, id, cancellation) is UnknownTask unknown)
                return JsonBody.Error(StatusCodes.Status404NotFound, unknown.Message);
            return await scheduler.Ask(new CancelTask(id), cancellation) switch
            {
                TaskCancelled cancelled => CancelAnswer(StatusCodes.Status200OK, cancelled.TaskId, "cancelled", null),
                // Accepted, not done: the worker still has to stop it.
                CancelPending pending => CancelAnswer(StatusCodes.Status202Accepted, pending.TaskId, "cancelling", pending.Node),
                TaskAlreadyFinished finished => JsonBody.Error(StatusCodes.Status409Conflict,
                    $"task {finished.TaskId} already finished ({TaskInfoJson.StateName(finished.State)}); nothing was changed"),
                UnknownTask gone => JsonBody.Error(StatusCodes.Status404NotFound, gone.Message),
                var other => throw SchedulerGateway.Unexpected(nameof(CancelTask), other),
            };
        });

        routes.MapGet("/api/tasks", async (HttpContext context, string? user, CancellationToken cancellation) =>
        {
            var caller = context.Caller();
            // A user token lists its own user's tasks without saying whose.
            if (string.IsNullOrEmpty(user)) user = caller.User;
            if (string.IsNullOrEmpty(user))
                throw ApiException.BadRequest("listing tasks needs a user: GET /api/tasks?user=NAME");
            if (!caller.MayActFor(user)) throw ApiAccess.CannotActFor(caller, user);
            var list = await scheduler.Ask<TaskList>(new ListTasks(user), cancellation);
            return JsonBody.Ok(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("user", list.UserId);
                writer.WriteStartArray("tasks");
                foreach (var task in list.Tasks) TaskInfoJson.Write(writer, task);
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
        });
    }

    /// <summary>
    /// The task as it is, read without collecting, when <paramref name="caller"/> may see it (or <see cref="UnknownTask"/>,
    /// which everyone may be told); a 403 that does not say whose it is otherwise.
    /// </summary>
    private static async Task<object> OwnTask(SchedulerGateway scheduler, ApiCaller caller, string id, CancellationToken cancellation)
    {
        var answer = await scheduler.Ask(new GetTaskStatus(id, Collect: false), cancellation);
        if (answer is TaskInfo info && !caller.MayActFor(info.UserId)) throw ApiAccess.NotYours(id);
        return answer;
    }

    private static JsonBody StatusAnswer(object answer) => answer switch
    {
        TaskInfo info => JsonBody.Ok(writer => TaskInfoJson.Write(writer, info)),
        UnknownTask unknown => JsonBody.Error(StatusCodes.Status404NotFound, unknown.Message),
        var other => throw SchedulerGateway.Unexpected(nameof(GetTaskStatus), other),
    };

    private static bool IsPeek(string? peek) => peek switch
    {
        null => false,
        _ when string.Equals(peek, "true", StringComparison.OrdinalIgnoreCase) => true,
        _ when string.Equals(peek, "false", StringComparison.OrdinalIgnoreCase) => false,
        _ => throw ApiException.BadRequest($"peek must be true or false, found \"{peek}\""),
    };

    /// <summary>The <c>wait</c> parameter: absent, or seconds (fractions allowed) above 0 and at most <see cref="TaskWaits.MaxWait"/>.</summary>
    private static TimeSpan? WaitOf(string? wait)
    {
        if (wait is null) return null;
        if (double.TryParse(wait, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds > 0 && seconds <= TaskWaits.MaxWait.TotalSeconds)
            return TimeSpan.FromSeconds(seconds);
        throw ApiException.BadRequest(
            $"wait must be a number of seconds greater than 0 and at most {TaskWaits.MaxWait.TotalSeconds:0}, found \"{wait}\"");
    }

    private static async Task<JsonBody> Submit(SchedulerGateway scheduler, SubmitTask submission, CancellationToken cancellation) =>
        await scheduler.Ask(submission, cancellation) switch
        {
            // A repeated submission id finds the original task: 200, nothing new was created.
            SubmissionAccepted accepted => new JsonBody(
                accepted.Duplicate ? StatusCodes.Status200OK : StatusCodes.Status201Created,
                writer => TaskIdJson.Write(writer, accepted.TaskId),
                location: accepted.Duplicate ? null : "/api/tasks/" + Uri.EscapeDataString(accepted.TaskId)),
            SubmissionRejected rejected => JsonBody.Error(StatusOf(rejected.Code), rejected.Reason),
            var other => throw SchedulerGateway.Unexpected(nameof(SubmitTask), other),
        };

    /// <summary>
    /// 415 unless the body is declared JSON: a web page can send a cross-origin form or <c>text/plain</c> POST without
    /// asking first (no CORS preflight), but not <c>application/json</c>, so this closes the forged-submission route.
    /// </summary>
    internal static JsonBody? NotJson(HttpRequest request)
    {
        var type = request.ContentType;
        if (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(type, out var media)
            && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
            return null;
        return JsonBody.Error(StatusCodes.Status415UnsupportedMediaType,
            $"{request.Method} {request.Path} takes a JSON body (Content-Type: application/json), not {(string.IsNullOrEmpty(type) ? "a body without a content type" : $"\"{type}\"")}");
    }

    /// <summary>A full queue is 429 (the same request may pass later), an oversized payload 413, anything else bad input.</summary>
    private static int StatusOf(RejectionCode code) => code switch
    {
        RejectionCode.QueueFull => StatusCodes.Status429TooManyRequests,
        RejectionCode.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    private static JsonBody CancelAnswer(int status, string id, string state, string? node) => new(status, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("state", state);
        if (node is not null) writer.WriteString("node", node);
        writer.WriteEndObject();
    });
}
