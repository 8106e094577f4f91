using System.CommandLine;
using Lighthouse.Host.Serve;

namespace Lighthouse.Host.Cli;

/// <summary>
/// <c>lighthouse serve</c>, also what a bare <c>lighthouse</c> does: runs a Lighthouse host until Ctrl-C or SIGTERM.
/// The configuration is composed by <see cref="HostConfiguration"/> and checked by <see cref="HostSettings"/> before
/// anything starts, so a bad one costs one line on stderr and exit 2.
/// </summary>
public static class ServeCommand
{
    private const string Description =
        "Run a Lighthouse host: the scheduler (a cluster singleton), the receptionist clients reach it through, a local " +
        "worker and the web monitor. With no configuration it is a complete single-machine Lighthouse on 127.0.0.1:4053.";

    /// <summary>Configuration, environment and exit codes, shown after <c>lighthouse serve --help</c>.</summary>
    public const string Details =
        """
        Configuration (HOCON), each layer overriding the one before it:
          1. the defaults, built in (config/lighthouse.conf documents every key)
          2. --config FILE
          3. the environment: LIGHTHOUSE_HOSTNAME, LIGHTHOUSE_PUBLIC_HOSTNAME, LIGHTHOUSE_PORT,
             LIGHTHOUSE_SEEDS (comma-separated HOST:PORT of members to join; none: this host starts a cluster),
             LIGHTHOUSE_HTTP_PORT, LIGHTHOUSE_DATA_DIR,
             LIGHTHOUSE_TLS_CERT, LIGHTHOUSE_TLS_KEY, LIGHTHOUSE_TLS_CA
          4. the options above
        Several machines: config/examples/host.conf and worker.conf.

        Accepted tasks survive a restart: the scheduler keeps its journal in an SQLite file in the data
        directory ($XDG_DATA_HOME/lighthouse, else ~/.local/share/lighthouse; --data-dir changes it), or in
        PostgreSQL (lighthouse.persistence; needed for several hosts). docs/durability.md has the guarantees.

        The local worker runs the built-in handlers with one slot per processor but one, on threads at nice 10,
        so that busy tasks leave the scheduler and the heartbeats a core and the first claim on it
        (lighthouse.host.local-worker { slots, nice }; --no-local-worker turns it off).

        Off loopback the cluster port needs mutual TLS (--tls-cert/--tls-key/--tls-ca, files made by
        `lighthouse certs`), or --insecure on a network you trust. README "Running on a network".

        Once the scheduler answers, one line says where the host is:
          lighthouse up at akka.tcp://lighthouse@127.0.0.1:4053 (scheduler singleton: this node, ...)

        Exit codes: 0 stopped by Ctrl-C or SIGTERM (after leaving the cluster), 1 could not start (e.g. a port in use)
        or removed from the cluster, 2 bad configuration or options (one line on stderr says what and where).
        """;

    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "A HOCON file overriding the built-in defaults.", HelpName = "FILE" };
        var hostname = new Option<string>("--hostname") { Description = "The address to bind the cluster port on. Default 127.0.0.1.", HelpName = "H" };
        var port = new Option<string>("--port") { Description = "The cluster port; 0 takes any free one. Default 4053.", HelpName = "P" };
        var httpPort = new Option<string>("--http-port") { Description = "The web monitor's port; 0 takes any free one. Default 9000.", HelpName = "P" };
        var noLocalWorker = new Option<bool>("--no-local-worker") { Description = "Run no worker in this process: tasks wait for worker nodes." };
        var dataDir = new Option<string>("--data-dir") { Description = "Where the scheduler's SQLite database lives. Default ~/.local/share/lighthouse.", HelpName = "DIR" };
        var tls = new TlsOptions();
        var command = new Command("serve", Description) { config, hostname, port, httpPort, noLocalWorker, dataDir };
        tls.AddTo(command, withInsecure: true);
        command.SetAction((parsed, _) => ExecuteAsync(
            new ServeArguments(
                parsed.GetValue(config),
                parsed.GetValue(hostname),
                parsed.GetValue(port),
                parsed.GetValue(httpPort),
                parsed.GetValue(noLocalWorker),
                parsed.GetValue(dataDir),
                parsed.GetValue(tls.Certificate),
                parsed.GetValue(tls.Key),
                parsed.GetValue(tls.Authority),
                parsed.GetValue(tls.Insecure)),
            HostEnvironment.OfProcess(),
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Composes and checks the configuration, then runs the host; returns its exit code.</summary>
    public static async Task<int> ExecuteAsync(ServeArguments arguments, IReadOnlyDictionary<string, string> environment, TextWriter stdout, TextWriter stderr)
    {
        HostSettings settings;
        try
        {
            settings = HostSettings.From(HostConfiguration.Compose(arguments, environment), arguments.ConfigFile);
        }
        catch (ServeConfigurationException bad)
        {
            await stderr.WriteLineAsync($"{LighthouseCommandLine.Name} serve: {bad.Message}");
            return ExitCodes.BadInput;
        }
        return await LighthouseHost.RunAsync(settings, stdout, stderr);
    }
}
