using Akka.Actor;
using Akka.TestKit.Xunit2;
using Lighthouse.Messaging;
using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Messaging;

public sealed class OutboxTests : TestKit
{
    [Fact]
    public void Only_the_first_message_asks_for_a_flush()
    {
        var outbox = new Outbox();
        var a = CreateTestProbe().Ref;

        Assert.True(outbox.Add(a, new CancelTask("1")));
        Assert.False(outbox.Add(a, new CancelTask("2")));
        Assert.False(outbox.Add(CreateTestProbe().Ref, new CancelTask("3")));
        Assert.Equal(3, outbox.Count);

        outbox.Take();
        Assert.True(outbox.IsEmpty);
        Assert.True(outbox.Add(a, new CancelTask("4")));
    }

    [Fact]
    public void A_lone_message_travels_alone_and_several_travel_as_one_batch_per_recipient_in_order()
    {
        var outbox = new Outbox();
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        outbox.Add(a.Ref, new CancelTask("a1"));
        outbox.Add(b.Ref, new CancelTask("b1"));
        outbox.Add(a.Ref, new CancelTask("a2"));

        outbox.Flush(TestActor);

        var batch = a.ExpectMsg<MessageBatch>();
        Assert.Equal([new CancelTask("a1"), new CancelTask("a2")], batch.Messages);
        Assert.Equal(TestActor, a.LastSender);
        Assert.Equal(new CancelTask("b1"), b.ExpectMsg<CancelTask>());
        Assert.True(outbox.IsEmpty);
    }

    [Fact]
    public void An_unbatchable_message_goes_alone_in_its_place()
    {
        var outbox = new Outbox();
        var a = CreateTestProbe().Ref;
        outbox.Add(a, new CancelTask("1"));
        outbox.Add(a, new CancelTask("2"));
        outbox.Add(a, new GetTaskStatus("3"), batchable: false);
        outbox.Add(a, new CancelTask("4"));

        var sends = outbox.Take().Select(s => s.Message).ToList();

        Assert.Equal(3, sends.Count);
        Assert.Equal([new CancelTask("1"), new CancelTask("2")], Assert.IsType<MessageBatch>(sends[0]).Messages);
        Assert.Equal(new GetTaskStatus("3"), sends[1]);
        Assert.Equal(new CancelTask("4"), sends[2]);
    }

    [Fact]
    public void Batches_are_split_by_count_and_by_size()
    {
        var outbox = new Outbox();
        var a = CreateTestProbe().Ref;
        for (var i = 0; i < Outbox.MaxMessages + 1; i++) outbox.Add(a, new CancelTask($"{i}"));
        var byCount = outbox.Take();
        Assert.Equal(2, byCount.Count);
        Assert.Equal(Outbox.MaxMessages, Assert.IsType<MessageBatch>(byCount[0].Message).Messages.Count);
        Assert.Equal(new CancelTask($"{Outbox.MaxMessages}"), byCount[1].Message);

        var big = new string('x', Outbox.MaxBytes / 2);
        for (var i = 0; i < 3; i++) outbox.Add(a, new StartTask($"t{i}", "echo", $"\"{big}\"", "u", 0, 1));
        var bySize = outbox.Take();
        Assert.Equal(3, bySize.Count);
        Assert.All(bySize, s => Assert.IsType<StartTask>(s.Message));
    }

    [Fact]
    public void A_batch_cannot_be_added()
    {
        var outbox = new Outbox();
        Assert.Throws<ArgumentException>(() => outbox.Add(CreateTestProbe().Ref, new MessageBatch([new CancelTask("1")])));
        Assert.True(outbox.IsEmpty);
    }
}

public sealed class OutboxPostTests : TestKit
{
    [Fact]
    public void A_quiet_owner_is_told_to_flush_at_once_and_a_busy_one_after_the_linger()
    {
        var timers = new RecordingTimers();
        var to = CreateTestProbe().Ref;

        var quiet = new Outbox();
        quiet.Post(TestActor, timers, to, new CancelTask("1"), busy: false);
        ExpectMsg<FlushOutbox>();
        Assert.Empty(timers.Started);

        var busy = new Outbox();
        busy.Post(TestActor, timers, to, new CancelTask("2"), busy: true);
        busy.Post(TestActor, timers, to, new CancelTask("3"), busy: true);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(Outbox.Linger, Assert.Single(timers.Started).Delay);
        Assert.Equal(2, busy.Count);
    }

    [Fact]
    public void A_lingering_outbox_that_holds_a_full_batch_is_sent_at_once_through_its_envelope()
    {
        var probe = CreateTestProbe();
        var outbox = new Outbox(message => new Wrapped(message));
        for (var i = 0; i < Outbox.MaxMessages; i++) outbox.Post(TestActor, new RecordingTimers(), probe.Ref, new CancelTask($"{i}"), busy: true);

        var sent = probe.ExpectMsg<Wrapped>();
        Assert.Equal(Outbox.MaxMessages, Assert.IsType<MessageBatch>(sent.Message).Messages.Count);
        Assert.True(outbox.IsEmpty);
    }

    private sealed record Wrapped(object Message);

    private sealed class RecordingTimers : ITimerScheduler
    {
        public List<(object Key, TimeSpan Delay)> Started { get; } = [];

        public void StartSingleTimer(object key, object msg, TimeSpan timeout) => Started.Add((key, timeout));

        public void StartSingleTimer(object key, object msg, TimeSpan timeout, IActorRef sender) => Started.Add((key, timeout));

        public void StartPeriodicTimer(object key, object msg, TimeSpan interval) => throw new NotSupportedException();

        public void StartPeriodicTimer(object key, object msg, TimeSpan interval, IActorRef sender) => throw new NotSupportedException();

        public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval) => throw new NotSupportedException();

        public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval, IActorRef sender) => throw new NotSupportedException();

        public bool IsTimerActive(object key) => Started.Any(s => s.Key.Equals(key));

        public IReadOnlyCollection<object> ActiveTimers => Started.Select(s => s.Key).ToList();

        public void Cancel(object key) { }

        public void CancelAll() { }
    }
}
