namespace Lighthouse.Messaging;

/// <summary>Sent by an actor to itself when its <see cref="Outbox"/> takes its first message: every message already waiting is handled before the outbox is sent.</summary>
public sealed record FlushOutbox
{
    public static FlushOutbox Instance { get; } = new();
}
