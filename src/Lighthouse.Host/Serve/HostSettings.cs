using Akka.Actor;
using Akka.Configuration;
using Lighthouse.Hosting;
using Lighthouse.Host.Web;
using Lighthouse.Persistence;
using Lighthouse.Persistence.Sql;
using Lighthouse.Scheduling;
using Lighthouse.Security;

namespace Lighthouse.Host.Serve;

/// <summary>
/// What a host runs with, read from its composed configuration (<see cref="HostConfiguration"/>) and checked before
/// anything starts. <see cref="Akka"/> is the ActorSystem's configuration: the composed one with the scheduler role
/// ensured and the settings every scheduler host needs (<see cref="LighthouseScheduler.RequiredConfig"/>) beneath it.
/// </summary>
/// <param name="LocalWorker">The in-process worker (<c>lighthouse.host.local-worker</c>), or null when it is off.</param>
/// <param name="Http">The web monitor and HTTP API, or null when off.</param>
/// <param name="Durability">Where the scheduler persists its events (<c>lighthouse.persistence</c>).</param>
/// <param name="Tls">Where the TLS files are (<c>lighthouse.tls</c>), and whether plaintext off loopback is allowed.</param>
/// <param name="Credentials">The loaded and checked TLS material, or null without TLS.</param>
public sealed record HostSettings(
    Config Akka,
    string Hostname,
    string PublicHostname,
    int Port,
    IReadOnlyList<string> Seeds,
    LocalWorkerSettings? LocalWorker,
    WebOptions? Http,
    SchedulerSettings Scheduler,
    SqlDurabilitySettings Durability,
    TlsSettings Tls,
    TlsCredentials? Credentials)
{
    /// <summary>Plaintext off loopback, allowed by <c>--insecure</c>: the host logs a warning at start.</summary>
    public bool InsecureOffLoopback => Credentials is null && !(RemoteTls.IsLoopback(Hostname) && (PublicHostname.Length == 0 || RemoteTls.IsLoopback(PublicHostname)));

    private const string Roles = "akka.cluster.roles";

    /// <summary>
    /// Reads and checks <paramref name="config"/>; throws <see cref="ServeConfigurationException"/> naming the key and
    /// value, prefixed with <paramref name="configFile"/> when one was given (flags and variables are checked earlier,
    /// so a bad value here came from the file).
    /// </summary>
    public static HostSettings From(Config config, string? configFile = null)
    {
        try
        {
            return Read(config);
        }
        catch (Exception e) when (e is ServeConfigurationException or ConfigurationException or WebConfigurationException or TlsConfigurationException)
        {
            var message = HostConfiguration.OneLine(e.Message);
            throw new ServeConfigurationException(configFile is null ? message : $"--config \"{configFile}\": {message}", e);
        }
    }

    private static HostSettings Read(Config config)
    {
        var provider = Text(config, "akka.actor.provider");
        if (provider != "cluster" && !provider.Contains("ClusterActorRefProvider", StringComparison.Ordinal))
            throw new ServeConfigurationException($"akka.actor.provider = \"{provider}\": a Lighthouse host is a cluster member; use cluster");

        var hostname = HostValues.Hostname(Text(config, $"{HostConfiguration.Tcp}.hostname"), $"{HostConfiguration.Tcp}.hostname");
        var publicHostname = Text(config, $"{HostConfiguration.Tcp}.public-hostname");
        if (publicHostname.Length > 0) HostValues.Hostname(publicHostname, $"{HostConfiguration.Tcp}.public-hostname");
        var port = HostValues.Port(Text(config, $"{HostConfiguration.Tcp}.port"), $"{HostConfiguration.Tcp}.port");
        var tls = TlsSettings.FromConfig(config);
        var credentials = tls.Load();
        if (credentials is not null && credentials.Identity.Role != LighthouseRole.Host)
            throw new ServeConfigurationException($"{HostConfiguration.Tls}.certificate = \"{tls.CertificatePath}\" is the certificate of {credentials.Identity}; a host needs one issued with --role host");
        var bound = publicHostname.Length > 0 && !RemoteTls.IsLoopback(publicHostname) ? publicHostname : hostname;
        if (RemoteTls.RefusalToStart("this host", bound, tls) is { } refusal) throw new ServeConfigurationException(refusal);

        // Every member of a TLS cluster is reached at akka.ssl.tcp://, every member of a plaintext one at akka.tcp://:
        // a seed written either way is taken to mean this cluster's scheme.
        var seeds = config.HasPath(HostConfiguration.SeedNodes) ? config.GetStringList(HostConfiguration.SeedNodes).ToList() : [];
        foreach (var seed in seeds) CheckSeed(seed);
        seeds = seeds.Select(seed => WithScheme(seed, credentials is not null)).ToList();

        var localWorker = LocalWorkerSection.Read(config);

        var http = HttpSection.Read(config, credentials);

        var scheduler = SchedulerSettings.FromConfig(config);
        var durability = SqlDurabilitySettings.FromConfig(config);
        if (durability.Provider == PersistenceProvider.Sqlite && seeds.FirstOrDefault(seed => !IsSelf(seed, hostname, publicHostname, port)) is { } other)
        {
            // A warning once: the singleton moved to a host whose file did not have the tasks, and every accepted task was stranded.
            throw new ServeConfigurationException(
                $"{HostConfiguration.SeedNodes} names another host ({other}), but lighthouse.persistence.provider = sqlite keeps the scheduler's " +
                "state in a file on this machine only, and a scheduler that moves to another host would not find it: several scheduler hosts need " +
                "lighthouse.persistence.provider = postgresql (or give this host no seeds but itself)");
        }
        http = http is null ? null : http with { QueueCapPerUser = scheduler.QueueCapPerUser };

        // A host is a scheduler member whatever else its roles say, as a worker is a worker.
        var roles = config.HasPath(Roles) ? config.GetStringList(Roles).ToList() : [];
        if (!roles.Contains(LighthouseNames.SchedulerRole)) roles.Add(LighthouseNames.SchedulerRole);
        var akka = ConfigurationFactory.ParseString(
                $"{Roles} = [{string.Join(", ", roles.Select(HostValues.Quote))}]\n" +
                $"{HostConfiguration.SeedNodes} = [{string.Join(", ", seeds.Select(HostValues.Quote))}]")
            .WithFallback(credentials is null ? Config.Empty : RemoteTls.TransportConfig)
            .WithFallback(HostDowning.For(config, durability))
            .WithFallback(config)
            .WithFallback(LighthouseScheduler.RequiredConfig)
            .WithFallback(durability.Config);

        return new HostSettings(akka, hostname, publicHostname, port, seeds, localWorker, http, scheduler, durability, tls, credentials);
    }

    /// <summary>Whether <paramref name="seed"/> is this host's own address (a host may seed itself, as the examples do).</summary>
    private static bool IsSelf(string seed, string hostname, string publicHostname, int port)
    {
        var address = Address.Parse(seed);
        return address.Port == port &&
               (string.Equals(address.Host, hostname, StringComparison.OrdinalIgnoreCase) || string.Equals(address.Host, publicHostname, StringComparison.OrdinalIgnoreCase));
    }

    private static string WithScheme(string seed, bool tls)
    {
        var address = Address.Parse(seed);
        var scheme = RemoteTls.Scheme(tls);
        return address.Protocol == scheme ? seed : address.WithProtocol(scheme).ToString();
    }

    private static void CheckSeed(string seed)
    {
        Address address;
        try
        {
            address = Address.Parse(seed);
        }
        catch (Exception e)
        {
            throw new ServeConfigurationException($"{HostConfiguration.SeedNodes}: \"{seed}\" is not an Akka address such as akka.tcp://{LighthouseNames.ActorSystem}@10.0.0.1:4053", e);
        }
        if (address.System != LighthouseNames.ActorSystem || address.Host is null || address.Port is null)
            throw new ServeConfigurationException($"{HostConfiguration.SeedNodes}: \"{seed}\" must name the system \"{LighthouseNames.ActorSystem}\" with a host and port, e.g. akka.tcp://{LighthouseNames.ActorSystem}@10.0.0.1:4053");
    }

    private static string Text(Config config, string path) =>
        config.HasPath(path) ? config.GetString(path) ?? "" : throw new ServeConfigurationException($"{path} is missing");
}
