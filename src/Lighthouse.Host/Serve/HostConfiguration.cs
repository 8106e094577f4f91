using Akka.Configuration;

namespace Lighthouse.Host.Serve;

/// <summary>
/// Composes the host's configuration, each layer overriding the one before it key by key: the defaults embedded from
/// config/lighthouse.conf, then the <c>--config</c> file, then the environment (<see cref="HostEnvironment"/>), then
/// the flags. A value given by a flag or a variable is checked here and refused naming its flag or variable.
/// </summary>
public static class HostConfiguration
{
    public const string DefaultsResource = "Lighthouse.Host.lighthouse.conf";

    internal const string Tcp = "akka.remote.dot-netty.tcp";
    internal const string SeedNodes = "akka.cluster.seed-nodes";
    internal const string LocalWorkerEnabled = "lighthouse.host.local-worker.enabled";
    internal const string HttpPort = "lighthouse.host.http.port";
    internal const string DataDir = "lighthouse.persistence.data-dir";
    internal const string Tls = Lighthouse.Security.TlsSettings.Section;

    /// <summary>config/lighthouse.conf as built into this program.</summary>
    public static Config Defaults { get; } = ReadDefaults();

    /// <summary>The configuration for <paramref name="arguments"/> and <paramref name="environment"/>; throws <see cref="ServeConfigurationException"/>.</summary>
    public static Config Compose(ServeArguments arguments, IReadOnlyDictionary<string, string> environment)
    {
        var flags = FromFlags(arguments);
        var variables = FromEnvironment(environment);
        var file = arguments.ConfigFile is { } path ? ReadFile(path) : Config.Empty;
        // Akka refuses Config.Empty as the fallback of Config.Empty, so empty layers are left out.
        return new[] { flags, variables, file }.Where(layer => !layer.IsEmpty).Reverse()
            .Aggregate(Defaults, (fallback, layer) => layer.WithFallback(fallback));
    }

    private static Config FromFlags(ServeArguments arguments)
    {
        var lines = new List<string>();
        if (arguments.Hostname is { } hostname)
            lines.Add($"{Tcp}.hostname = {HostValues.Quote(HostValues.Hostname(hostname, "--hostname"))}");
        if (arguments.Port is { } port)
            lines.Add($"{Tcp}.port = {HostValues.Port(port, "--port")}");
        if (arguments.HttpPort is { } httpPort)
            lines.Add($"{HttpPort} = {HostValues.Port(httpPort, "--http-port")}");
        if (arguments.NoLocalWorker)
            lines.Add($"{LocalWorkerEnabled} = off");
        if (arguments.DataDir is { } dataDir)
            lines.Add($"{DataDir} = {HostValues.Quote(HostValues.Directory(dataDir, "--data-dir"))}");
        if (arguments.TlsCertificate is { } certificate)
            lines.Add($"{Tls}.certificate = {HostValues.Quote(HostValues.FilePath(certificate, "--tls-cert"))}");
        if (arguments.TlsKey is { } key)
            lines.Add($"{Tls}.key = {HostValues.Quote(HostValues.FilePath(key, "--tls-key"))}");
        if (arguments.TlsAuthority is { } authority)
            lines.Add($"{Tls}.ca = {HostValues.Quote(HostValues.FilePath(authority, "--tls-ca"))}");
        if (arguments.Insecure)
            lines.Add($"{Tls}.insecure = on");
        return Parse(lines);
    }

    private static Config FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var lines = new List<string>();
        if (environment.TryGetValue(HostEnvironment.Hostname, out var hostname))
            lines.Add($"{Tcp}.hostname = {HostValues.Quote(HostValues.Hostname(hostname, HostEnvironment.Hostname))}");
        if (environment.TryGetValue(HostEnvironment.PublicHostname, out var publicHostname))
            lines.Add($"{Tcp}.public-hostname = {HostValues.Quote(HostValues.Hostname(publicHostname, HostEnvironment.PublicHostname))}");
        if (environment.TryGetValue(HostEnvironment.Port, out var port))
            lines.Add($"{Tcp}.port = {HostValues.Port(port, HostEnvironment.Port)}");
        if (environment.TryGetValue(HostEnvironment.HttpPort, out var httpPort))
            lines.Add($"{HttpPort} = {HostValues.Port(httpPort, HostEnvironment.HttpPort)}");
        if (environment.TryGetValue(HostEnvironment.DataDir, out var dataDir))
            lines.Add($"{DataDir} = {HostValues.Quote(HostValues.Directory(dataDir, HostEnvironment.DataDir))}");
        if (environment.TryGetValue(HostEnvironment.TlsCertificate, out var certificate))
            lines.Add($"{Tls}.certificate = {HostValues.Quote(HostValues.FilePath(certificate, HostEnvironment.TlsCertificate))}");
        if (environment.TryGetValue(HostEnvironment.TlsKey, out var key))
            lines.Add($"{Tls}.key = {HostValues.Quote(HostValues.FilePath(key, HostEnvironment.TlsKey))}");
        if (environment.TryGetValue(HostEnvironment.TlsAuthority, out var authority))
            lines.Add($"{Tls}.ca = {HostValues.Quote(HostValues.FilePath(authority, HostEnvironment.TlsAuthority))}");
        if (environment.TryGetValue(HostEnvironment.Seeds, out var seeds))
        {
            var addresses = seeds.Split(',', StringSplitOptions.TrimEntries)
                .Select(seed => HostValues.Quote(HostValues.Seed(seed, $"{HostEnvironment.Seeds}=\"{seeds}\"")));
            lines.Add($"{SeedNodes} = [{string.Join(", ", addresses)}]");
        }
        return Parse(lines);
    }

    private static Config ReadFile(string path)
    {
        string text;
        try
        {
            if (Directory.Exists(path)) throw new IOException("it is a directory");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ServeConfigurationException($"--config \"{path}\": no such file", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServeConfigurationException($"--config \"{path}\": cannot read it: {e.Message}", e);
        }

        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception e)
        {
            throw new ServeConfigurationException($"--config \"{path}\": not valid HOCON: {OneLine(e.Message)}", e);
        }
    }

    private static Config ReadDefaults()
    {
        using var stream = typeof(HostConfiguration).Assembly.GetManifestResourceStream(DefaultsResource)
            ?? throw new InvalidOperationException($"the embedded defaults {DefaultsResource} are missing from the build");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    private static Config Parse(List<string> lines) =>
        lines.Count == 0 ? Config.Empty : ConfigurationFactory.ParseString(string.Join('\n', lines));

    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
