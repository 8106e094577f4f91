using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse;

/// <summary>
/// What an ActorSystem needs to carry Lighthouse, whichever way it was built (Akka.Hosting, plain HOCON, a test):
/// the library's defaults (the embedded <c>reference.conf</c>) and the wire serializer. Every Lighthouse component
/// calls <see cref="Prepare"/> when it starts, so a system that lacks the serializer gets it, and one whose
/// settings cannot carry Lighthouse's messages fails at once with one line naming the setting.
/// </summary>
public static class LighthouseConfig
{
    /// <summary>The frame-size key every member and client must set large enough.</summary>
    public const string FrameSizeKey = "akka.remote.dot-netty.tcp.maximum-frame-size";

    /// <summary>What a frame holds beyond the payload: the message around it (ids, names, requirements).</summary>
    internal const long FrameOverheadBytes = 64 * 1024;

    private static readonly object RegistrationLock = new();

    /// <summary>Akka.Remote's remote-deployment message (internal to Akka.Remote, so found by name).</summary>
    private static readonly Type DaemonMsgCreateType = typeof(Akka.Remote.RemoteActorRefProvider).Assembly.GetType("Akka.Remote.DaemonMsgCreate", throwOnError: true)!;

    /// <summary>The embedded <c>reference.conf</c>: every library default with its comment.</summary>
    public static Config Reference { get; } = ConfigurationFactory.ParseString(ReadReference());

    /// <summary>
    /// <see cref="Reference"/> with the wire serializer's registration: what a system carrying Lighthouse falls back
    /// to. With plain HOCON, <c>ActorSystem.Create(name, myConfig.WithFallback(LighthouseConfig.Defaults))</c>.
    /// </summary>
    public static Config Defaults { get; } = Reference.WithFallback(LighthouseSerialization.Configuration);

    /// <summary>
    /// Readies <paramref name="system"/> for Lighthouse's messages: registers <see cref="LighthouseSerializer"/> for the
    /// protocol when the system's configuration did not bind it (so a node never answers with "Cannot find serializer
    /// with id [4053]"), and checks that remoting's frame holds the largest payload. Throws
    /// <see cref="InvalidOperationException"/> naming <paramref name="component"/> and the setting to change.
    /// </summary>
    public static void Prepare(ActorSystem system, string component)
    {
        ArgumentNullException.ThrowIfNull(system);
        RegisterSerializer((ExtendedActorSystem)system);
        CheckFrameSize(system.Settings.Config, component);
    }

    /// <summary>
    /// The settings of a proxy to the scheduler singleton (role <see cref="LighthouseNames.SchedulerRole"/>), set in
    /// code rather than in HOCON: Akka.Hosting's <c>WithClustering</c> writes the singleton's defaults into the
    /// application's configuration, where they would beat a fallback of ours. The identification interval is
    /// <c>lighthouse.cluster.singleton-identification-interval</c>; the proxy's "failed to find" warning, which Akka
    /// logs while the singleton is still being located, stays off.
    /// </summary>
    public static ClusterSingletonProxySettings SchedulerProxySettings(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var interval = IdentificationInterval(system.Settings.Config);
        return ClusterSingletonProxySettings.Create(system)
            .WithRole(LighthouseNames.SchedulerRole)
            .WithSingletonName(LighthouseNames.SchedulerSingleton)
            .WithSingletonIdentificationInterval(interval)
            .WithLogSingletonIdentificationFailure(false);
    }

    /// <summary>
    /// <c>lighthouse.cluster.singleton-identification-interval</c>, a positive duration (the reference's when absent);
    /// throws <see cref="ConfigurationException"/> naming the key and the value otherwise.
    /// </summary>
    internal static TimeSpan IdentificationInterval(Config config)
    {
        const string section = "lighthouse.cluster";
        var fallback = Reference.GetTimeSpan(section + ".singleton-identification-interval");
        var values = config.HasPath(section) ? config.GetConfig(section) : Config.Empty;
        return new SettingsSection(section, values).Duration("singleton-identification-interval", fallback, "200ms");
    }

    /// <summary>The largest payload the system's configuration lets the scheduler accept (the library default if unset).</summary>
    internal static long MaxPayloadBytes(Config config)
    {
        const string key = "lighthouse.scheduler.max-payload-bytes";
        return config.HasPath(key) ? config.GetLong(key) : Reference.GetLong(key);
    }

    /// <summary>Null when <paramref name="config"/>'s frame holds the largest payload (or the system is not remote); else why not.</summary>
    internal static string? FrameSizeProblem(Config config)
    {
        var provider = config.GetString("akka.actor.provider", "local") ?? "local";
        if (provider.Equals("local", StringComparison.OrdinalIgnoreCase) || provider.Contains("LocalActorRefProvider", StringComparison.Ordinal))
            return null;
        var frame = config.HasPath(FrameSizeKey) ? config.GetByteSize(FrameSizeKey) ?? 0 : 128_000;
        var needed = MaxPayloadBytes(config) + FrameOverheadBytes;
        if (frame >= needed) return null;
        return $"{FrameSizeKey} is {Bytes(frame)}, but a Lighthouse message carries a payload of up to {Bytes(MaxPayloadBytes(config))} " +
               $"(lighthouse.scheduler.max-payload-bytes): set it to at least {Bytes(needed)} (Lighthouse's default is 4MiB), " +
               "e.g. with config.WithFallback(LighthouseConfig.Defaults) or, with Akka.Hosting, WithRemoting(o => o.MaxFrameSize = 4 * 1024 * 1024)";
    }

    private static void CheckFrameSize(Config config, string component)
    {
        if (FrameSizeProblem(config) is { } problem) throw new InvalidOperationException($"{component}: {problem}");
    }

    private static void RegisterSerializer(ExtendedActorSystem system)
    {
        RefuseJson(system);
        RefuseRemoteDeployment(system);
        var serialization = system.Serialization;
        // Bound by the configuration (LighthouseConfig.Defaults, the hosting extensions), or by an earlier component.
        if (serialization.FindSerializerForType(typeof(Protocol.SubmitTask)) is LighthouseSerializer) return;
        lock (RegistrationLock)
        {
            if (serialization.FindSerializerForType(typeof(Protocol.SubmitTask)) is LighthouseSerializer) return;
            var serializer = new LighthouseSerializer(system);
            try
            {
                serialization.AddSerializer(LighthouseSerialization.SerializerName, serializer);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException(
                    $"serializer id {LighthouseSerialization.SerializerId} or name \"{LighthouseSerialization.SerializerName}\" is taken, but Lighthouse's " +
                    "messages are not bound to it: add LighthouseConfig.Defaults to the ActorSystem's configuration instead of a serializer of your own", e);
            }
            foreach (var type in LighthouseSerialization.OwnedTypes) serialization.AddSerializationMap(type, serializer);
        }
    }

    /// <summary>
    /// Puts <see cref="RefusingJsonSerializer"/> under identifier 1 of a system whose configuration left Akka's polymorphic
    /// JSON serializer there (built without <see cref="Defaults"/>): Akka picks the serializer by the identifier in each
    /// envelope, so until this runs any peer may have a message read as JSON. Also rebinds <c>System.Object</c>, so that an
    /// unbound type fails at the sender; types Akka already looked up keep the serializer it found for them (what they
    /// send, no Lighthouse node reads).
    /// </summary>
    private static void RefuseJson(ExtendedActorSystem system)
    {
        var serialization = system.Serialization;
        // Bound together: registered by the configuration (the json name is bound to System.Object), or by an earlier call.
        if (serialization.FindSerializerForType(typeof(object)) is RefusingJsonSerializer) return;
        lock (RegistrationLock)
        {
            if (serialization.FindSerializerForType(typeof(object)) is RefusingJsonSerializer) return;
            var refusing = new RefusingJsonSerializer(system);
            serialization.AddSerializer(RefusingJsonSerializer.AkkaJsonSerializerName, refusing);
            serialization.AddSerializationMap(typeof(object), refusing);
        }
    }

    /// <summary>
    /// Puts <see cref="RefusingDaemonCreateSerializer"/> under identifier 3 of a system whose configuration left Akka.Remote's
    /// remote-deployment serializer there (built without <see cref="Defaults"/>), and binds <c>DaemonMsgCreate</c> to it: until
    /// this runs any peer may have an actor of its choosing created here.
    /// </summary>
    private static void RefuseRemoteDeployment(ExtendedActorSystem system)
    {
        var serialization = system.Serialization;
        if (serialization.FindSerializerForType(DaemonMsgCreateType) is RefusingDaemonCreateSerializer) return;
        lock (RegistrationLock)
        {
            if (serialization.FindSerializerForType(DaemonMsgCreateType) is RefusingDaemonCreateSerializer) return;
            var refusing = new RefusingDaemonCreateSerializer(system);
            serialization.AddSerializer(RefusingDaemonCreateSerializer.AkkaDaemonCreateSerializerName, refusing);
            serialization.AddSerializationMap(DaemonMsgCreateType, refusing);
        }
    }

    private static string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

    private static string ReadReference()
    {
        using var stream = typeof(LighthouseConfig).Assembly.GetManifestResourceStream("Lighthouse.reference.conf")
            ?? throw new InvalidOperationException("Lighthouse.Actors is built without its reference.conf");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
