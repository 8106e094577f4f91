using System.Runtime.CompilerServices;
using Akka.Actor;
using Lighthouse.Scheduling;
using Lighthouse.Security;

namespace Lighthouse.Membership;

/// <summary>
/// Starts the membership check of a TLS cluster (docs/authorization.md, "Who may be a member"): the
/// <see cref="MembershipResponder"/> on every Lighthouse member, the <see cref="MembershipGuard"/> on every host. Each
/// starts once per ActorSystem however many components ask (a host runs the scheduler and a local worker), and not at
/// all on a plaintext or unclustered system, which has no certificates to prove anything with.
/// </summary>
public static class LighthouseMembership
{
    private static readonly object Gate = new();
    private static readonly ConditionalWeakTable<ActorSystem, IActorRef> Responders = new();
    private static readonly ConditionalWeakTable<ActorSystem, IActorRef> Guards = new();

    /// <summary>The responder at <see cref="LighthouseNames.MembershipResponderPath"/>, started if need be; null without TLS or cluster.</summary>
    public static IActorRef? StartResponder(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (RemoteTls.CredentialsOf(system) is not { } credentials || !ClusterHealthWatcher.IsClustered(system)) return null;
        return StartOnce(system, Responders, "Lighthouse membership responder",
            () => system.ActorOf(MembershipResponder.Props(credentials), LighthouseNames.MembershipResponder));
    }

    /// <summary>The guard at <see cref="LighthouseNames.MembershipGuard"/>, started if need be (with <paramref name="settings"/>, <see cref="MembershipGuardSettings.Default"/> by default); null without TLS or cluster.</summary>
    public static IActorRef? StartGuard(ActorSystem system, MembershipGuardSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (RemoteTls.CredentialsOf(system) is not { } credentials || !ClusterHealthWatcher.IsClustered(system)) return null;
        return StartOnce(system, Guards, "Lighthouse membership guard",
            () => system.ActorOf(MembershipGuard.Props(credentials, settings ?? MembershipGuardSettings.Default), LighthouseNames.MembershipGuard));
    }

    private static IActorRef StartOnce(ActorSystem system, ConditionalWeakTable<ActorSystem, IActorRef> started, string component, Func<IActorRef> start)
    {
        lock (Gate)
        {
            if (started.TryGetValue(system, out var running)) return running;
            // The proof messages travel with Lighthouse's serializer.
            LighthouseConfig.Prepare(system, component);
            var actor = start();
            started.Add(system, actor);
            return actor;
        }
    }
}
