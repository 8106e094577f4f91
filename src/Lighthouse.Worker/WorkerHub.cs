using System.Globalization;
using Akka;
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Event;
using Lighthouse.Membership;
using Lighthouse.Protocol;
using Lighthouse.Worker.Agent;
using Lighthouse.Worker.Processes;

namespace Lighthouse.Worker;

/// <summary>
/// A worker node to embed in any .NET program: what it declares (resources, priorities, slots) and the
/// handlers it runs by task name. Checked when created; started in an ActorSystem, it registers with the
/// scheduler, runs what the scheduler starts, and registers again on its own when the scheduler moves.
/// <code>
/// var hub = WorkerHub.Create(o => o.Resource("cpu", 4).Tag("ssd").AddBuiltInHandlers()
///     .Handle("resize", async task => new JsonObject { ["ok"] = true }, timeout: TimeSpan.FromMinutes(1)));
/// hub.StartInCluster(system);   // in a cluster with a Lighthouse host
/// </code>
/// </summary>
public sealed class WorkerHub
{
    private readonly SortedDictionary<string, TaskHandler> _handlers;

    private WorkerHub(WorkerHubOptions options)
    {
        NodeName = options.NodeName;
        Lanes = options.Lanes.Count > 0 ? options.Lanes.ToList() : null;
        Slots = Lanes is { } lanes ? WorkerLanes.TotalSlots(lanes) : options.Slots;
        Priorities = Lanes is { } spanned ? WorkerLanes.Span(spanned) : options.Priorities;
        Resources = new SortedDictionary<string, double>(options.Resources.ToDictionary(), StringComparer.Ordinal);
        _handlers = new SortedDictionary<string, TaskHandler>(options.Handlers.ToDictionary(h => h.TaskName), StringComparer.Ordinal);
        TaskNames = _handlers.Keys.ToList();
        ProgressInterval = options.ProgressInterval;
        CancelGrace = options.CancelGrace;
        RegistrationRetryMin = options.RegistrationRetryMin;
        RegistrationRetryMax = options.RegistrationRetryMax;
        TaskNice = options.TaskNice;
        // Per thread nice values are Linux's; elsewhere setpriority would lower the whole process, heartbeats and all.
        TaskThreads = TaskNice is { } nice && OperatingSystem.IsLinux() ? new NicedTaskScheduler(nice) : null;
    }

    /// <summary>The configured node name, or null to derive one when started (see <see cref="ResolveNodeName"/>).</summary>
    public string? NodeName { get; }

    /// <summary>How many tasks run at once: the sum of the lanes' slots when it has lanes.</summary>
    public int Slots { get; }

    /// <summary>The priorities accepted: with lanes, from their lowest minimum to their highest maximum (gaps between lanes are not accepted).</summary>
    public PriorityRange Priorities { get; }

    /// <summary>The lanes (<see cref="WorkerHubOptions.Lane"/>), or null for none.</summary>
    public IReadOnlyList<WorkerLane>? Lanes { get; }

    /// <summary>Declared resources, name → quantity (tags 0, wards -Infinity); <c>slots</c> is added by the scheduler.</summary>
    public IReadOnlyDictionary<string, double> Resources { get; }

    /// <summary>The task names handled, in name order.</summary>
    public IReadOnlyList<string> TaskNames { get; }

    public TimeSpan ProgressInterval { get; }
    public TimeSpan CancelGrace { get; }
    public TimeSpan RegistrationRetryMin { get; }
    public TimeSpan RegistrationRetryMax { get; }

    /// <summary>The nice value of the threads running in-process handlers (<see cref="WorkerHubOptions.TaskNice"/>), or null.</summary>
    public int? TaskNice { get; }

    /// <summary>The threads that run in-process handlers at <see cref="TaskNice"/>, or null for the thread pool.</summary>
    internal NicedTaskScheduler? TaskThreads { get; }

    /// <summary>Configures and checks a hub; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static WorkerHub Create(Action<WorkerHubOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new WorkerHubOptions();
        configure(options);
        return Create(options);
    }

    /// <summary>Checks <paramref name="options"/> and takes a snapshot of them; later changes to the options do not reach the hub.</summary>
    public static WorkerHub Create(WorkerHubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem) throw new ArgumentException($"worker hub: {problem}");
        return new WorkerHub(options);
    }

    /// <summary>
    /// Starts the agent in <paramref name="system"/>, registering with <paramref name="scheduler"/> (the scheduler
    /// itself, or a proxy to the singleton). Returns the agent; stopping it stops its running handlers.
    /// </summary>
    public IActorRef Start(ActorSystem system, IActorRef scheduler, string actorName = LighthouseNames.WorkerAgent)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(scheduler);
        var node = ResolveNodeName(system);
        LighthouseConfig.Prepare(system, $"worker hub \"{node}\"");
        // With TLS in a cluster: answer the hosts' membership challenges, or be downed.
        LighthouseMembership.StartResponder(system);
        StopProcessesOnShutdown(system);
        WarnOfTaskNice(system, node);
        return system.ActorOf(WorkerAgent.Props(this, node, scheduler), actorName);
    }

    /// <summary>Starts a proxy to the scheduler singleton (see <see cref="SchedulerProxy"/>) and the agent; the system must be a cluster member.</summary>
    public IActorRef StartInCluster(ActorSystem system) => Start(system, SchedulerProxy(system));

    /// <summary>
    /// A proxy to the scheduler singleton: manager <see cref="LighthouseNames.SchedulerManagerPath"/> on nodes of role
    /// <see cref="LighthouseNames.SchedulerRole"/>. It buffers messages while the singleton moves.
    /// </summary>
    public static IActorRef SchedulerProxy(ActorSystem system, string actorName = LighthouseNames.WorkerSchedulerProxy)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.ActorOf(ClusterSingletonProxy.Props(LighthouseNames.SchedulerManagerPath, LighthouseConfig.SchedulerProxySettings(system)), actorName);
    }

    /// <summary>
    /// The node name used in <paramref name="system"/>: the configured one, else the machine name and the system's
    /// port (<c>host-a:41234</c>, unique per machine), else, without remoting, the machine name and a generated suffix.
    /// </summary>
    public string ResolveNodeName(ActorSystem system)
    {
        if (NodeName is not null) return NodeName;
        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        return address.Port is { } port
            ? $"{Environment.MachineName}:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>
    /// The process groups of running tasks are stopped (SIGTERM, SIGKILL after their grace) before the system
    /// terminates, however it stops (Ctrl-C, SIGTERM, leaving the cluster, Terminate): no program outlives its worker.
    /// </summary>
    private void StopProcessesOnShutdown(ActorSystem system)
    {
        var processes = _handlers.Values.Select(h => h.Process).OfType<ProcessHandler>().ToList();
        if (processes.Count == 0) return;
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "lighthouse-stop-task-processes", async () =>
        {
            await Task.WhenAll(processes.Select(p => p.StopAllAsync())).ConfigureAwait(false);
            return Done.Instance;
        });
    }

    /// <summary>Says at start when <see cref="TaskNice"/> cannot be what it asks: off Linux, or above the process's priority without privilege.</summary>
    private void WarnOfTaskNice(ActorSystem system, string node)
    {
        if (TaskNice is not { } nice) return;
        if (TaskThreads is null)
            system.Log.Warning("worker hub \"{0}\": task nice {1} is ignored: a nice value per thread is Linux's, and in-process handlers run on the thread pool", node, nice);
        else if (Posix.CurrentNice() is var own && nice < own)
            system.Log.Warning("worker hub \"{0}\": task nice {1} is below this process's own nice {2}; unless the process is privileged, in-process handlers run at {2}", node, nice, own);
    }

    internal TaskHandler? Find(string taskName) => _handlers.GetValueOrDefault(taskName);

    internal RegisterWorker Registration(string node) => new(node, Resources, TaskNames, Priorities, Slots, Lanes: Lanes);
}
