using Akka.TestKit;
using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Client;

/// <summary>A request the client sent to a probe standing in for the scheduler: its id and what it asks.</summary>
internal sealed record Asked<T>(CorrelatedRequest Wire, T Request);

/// <summary>A probe playing the scheduler for a client: it reads the client's wrapped requests and answers under their ids, as the scheduler does.</summary>
internal static class SchedulerProbe
{
    /// <summary>The next message, which must be one request of type <typeparamref name="T"/> under a correlation id.</summary>
    public static Asked<T> ExpectRequest<T>(this TestProbe probe, TimeSpan? max = null)
    {
        var wire = probe.ExpectMsg<CorrelatedRequest>(max);
        return new Asked<T>(wire, Assert.IsType<T>(wire.Request));
    }

    /// <summary>Answers <paramref name="asked"/> with <paramref name="answer"/> under its id, to the last sender.</summary>
    public static void Answer<T>(this TestProbe probe, Asked<T> asked, object answer) => probe.Reply(Answer(asked.Wire, answer));

    public static CorrelatedAnswer Answer(CorrelatedRequest request, object answer) => new(request.CorrelationId, answer);

    /// <summary>The next <paramref name="count"/> requests the probe receives, alone or batched, in the order sent.</summary>
    public static List<CorrelatedRequest> ReceiveRequests(this TestProbe probe, int count)
    {
        var requests = new List<CorrelatedRequest>();
        while (requests.Count < count)
        {
            var message = probe.ReceiveOne(Lighthouse.Tests.Shared.Eventually.Bound);
            if (message is MessageBatch batch) requests.AddRange(batch.Messages.Cast<CorrelatedRequest>());
            else requests.Add(Assert.IsType<CorrelatedRequest>(message));
        }
        return requests;
    }
}
