using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster;

namespace Lighthouse.Worker.Cli;

/// <summary>
/// The running <c>lighthouse-worker</c>: an ActorSystem in the Lighthouse cluster with role <c>worker</c> and the
/// hub's agent, until Ctrl-C or SIGTERM leaves the cluster gracefully, or the cluster removes this node.
/// </summary>
internal static class WorkerProcess
{
    public const int Stopped = 0;
    public const int Removed = 1;

    public static int Run(WorkerLaunch launch, TextWriter stdout, TextWriter stderr)
    {
        WorkerHub hub;
        try
        {
            hub = launch.CreateHub();
        }
        catch (ArgumentException refused)
        {
            stderr.WriteLine($"{WorkerCommandLine.Name}: {refused.Message}");
            return WorkerCommandLine.BadInput;
        }

        using var system = ActorSystem.Create(LighthouseNames.ActorSystem, launch.AkkaConfig());
        var shutdown = CoordinatedShutdown.Get(system);
        var requested = false;
        void Leave(PosixSignalContext signal)
        {
            // Leave the cluster and stop through coordinated shutdown instead of dying mid-task.
            signal.Cancel = true;
            requested = true;
            _ = shutdown.Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Leave);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Leave);

        var name = hub.ResolveNodeName(system);
        hub.StartInCluster(system);
        stdout.WriteLine($"{WorkerCommandLine.Name}: node \"{name}\" at {Cluster.Get(system).SelfAddress}, {hub.Slots} slots, " +
                         $"handles {string.Join(", ", hub.TaskNames)}; joining {string.Join(", ", launch.Seeds)}");
        stdout.Flush();

        system.WhenTerminated.Wait();
        if (requested) return Stopped;
        stderr.WriteLine($"{WorkerCommandLine.Name}: node \"{name}\" left the cluster ({shutdown.ShutdownReason?.GetType().Name ?? "system terminated"}); exiting");
        return Removed;
    }
}
