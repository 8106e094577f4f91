using Akka.TestKit;
using Lighthouse.Client;
using Lighthouse.Messaging;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Client;

/// <summary>
/// The client actor matches answers to calls by correlation id alone, against a probe playing the scheduler: the cases
/// content could not tell apart (two calls of one kind, a resend's second answer followed by a new call of its kind).
/// Debug logging is on, to see what the client drops.
/// </summary>
public sealed class CorrelationClientTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = DEBUG", output)
{
    private static QueuesView Queued(int count) => new(count, 0, new Dictionary<int, int>(), []);

    private (TestProbe Scheduler, LighthouseClient Client) Start(LighthouseClientOptions? options = null)
    {
        var scheduler = CreateTestProbe();
        return (scheduler, LighthouseClient.Create(Sys, scheduler.Ref, options));
    }

    [Fact]
    public async Task Two_calls_of_one_kind_answered_out_of_order_each_get_their_own_answer()
    {
        var (scheduler, client) = Start();

        var first = client.GetQueuesAsync();
        var second = client.GetQueuesAsync();
        var requests = scheduler.ReceiveRequests(2);
        scheduler.Reply(SchedulerProbe.Answer(requests[1], Queued(2)));
        scheduler.Reply(SchedulerProbe.Answer(requests[0], Queued(1)));

        Assert.Equal((1, 2), ((await first.Within()).Queued, (await second.Within()).Queued));
    }

    [Fact]
    public async Task An_answer_with_an_unknown_id_is_ignored_and_logged_and_the_call_waits_for_its_own()
    {
        var (scheduler, client) = Start();

        var call = client.GetQueuesAsync();
        var asked = scheduler.ExpectRequest<GetQueues>();
        EventFilter.Debug(contains: "no request waits for it").ExpectOne(() =>
            client.Actor.Tell(new CorrelatedAnswer(asked.Wire.CorrelationId + 1_000, Queued(99)), scheduler.Ref));
        Assert.False(call.IsCompleted);
        scheduler.Answer(asked, Queued(3));

        Assert.Equal(3, (await call.Within()).Queued);
    }

    [Fact]
    public async Task A_plain_answer_without_an_id_is_ignored_and_logged()
    {
        var (scheduler, client) = Start();

        var call = client.GetQueuesAsync();
        var asked = scheduler.ExpectRequest<GetQueues>();
        EventFilter.Debug(contains: "expects only answers with a correlation id").ExpectOne(() =>
            client.Actor.Tell(Queued(99), scheduler.Ref));
        Assert.False(call.IsCompleted);
        scheduler.Answer(asked, Queued(3));

        Assert.Equal(3, (await call.Within()).Queued);
    }

    [Fact]
    public async Task A_resent_call_is_answered_once_and_its_second_answer_never_reaches_a_later_call_of_its_kind()
    {
        var (scheduler, client) = Start(new LighthouseClientOptions { RetryInterval = TimeSpan.FromMilliseconds(100) });

        var call = client.GetQueuesAsync();
        var sent = scheduler.ExpectRequest<GetQueues>();
        var resent = scheduler.ExpectRequest<GetQueues>(Eventually.Bound);
        Assert.Equal(sent.Wire, resent.Wire);
        scheduler.Answer(sent, Queued(1));
        Assert.Equal(1, (await call.Within()).Queued);

        var later = client.GetQueuesAsync();
        // Skips a further resend of the first call that a slow machine may have sent before its answer arrived.
        Asked<GetQueues> asked;
        do asked = scheduler.ExpectRequest<GetQueues>(Eventually.Bound);
        while (asked.Wire.CorrelationId == sent.Wire.CorrelationId);
        // The resend's answer arrives now: by content it would fit the later call, by id it fits nothing.
        EventFilter.Debug(contains: "no request waits for it").ExpectOne(() => scheduler.Answer(resent, Queued(1)));
        Assert.False(later.IsCompleted);
        scheduler.Answer(asked, Queued(2));

        Assert.Equal(2, (await later.Within()).Queued);
    }
}
