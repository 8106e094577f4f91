using Akka.Actor;
using Lighthouse.Host.Web.Access;
using Lighthouse.Host.Web.Metrics;
using Lighthouse.Host.Web.Monitor;
using Lighthouse.Host.Web.Waits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lighthouse.Host.Web;

/// <summary>
/// The web monitor and HTTP API of a Lighthouse host, as one ASP.NET Core app over the scheduler:
/// <list type="bullet">
/// <item><c>/</c> and <c>/tasks/{id}</c>: the monitor page (read-only; script and style served from the assembly).</item>
/// <item><c>/api/tasks</c> (POST submit, GET <c>?user=</c>), <c>/api/tasks/{id}</c> (GET status, <c>?peek=true</c> without collecting, <c>?wait=SECONDS</c> until it ends; DELETE cancel).</item>
/// <item><c>/api/limits</c> (GET), <c>/api/limits/{key}</c> (PUT <c>{"limit": N}</c>, DELETE): concurrency limits, admin only.</item>
/// <item><c>/api/nodes</c>, <c>/api/queues</c>, <c>/api/stats</c>, <c>/api/history</c>, <c>/api/cluster</c>, <c>/api/overview</c>.</item>
/// <item><c>/api/users</c> (GET), <c>/api/users/{name}</c> (PUT, DELETE): per-user weights and quotas (<see cref="UserPolicyEndpoints"/>).</item>
/// <item><c>/health/live</c>, <c>/health/ready</c>, <c>/metrics</c> (Prometheus text).</item>
/// </list>
/// Errors are <c>{"error": "..."}</c> with 400, 401, 403, 404, 409, 413, 415, 429 or 503.
/// With tokens configured, <c>/api</c> and <c>/metrics</c> need one (<see cref="ApiAccess"/>); with a certificate, the port serves HTTPS.
/// </summary>
public static class LighthouseWeb
{
    /// <summary>
    /// Builds the app, bound to <see cref="WebOptions.Url"/> (not started: call <c>StartAsync</c>, and
    /// <c>StopAsync</c>/<c>DisposeAsync</c> at shutdown). <paramref name="scheduler"/> is the scheduler or its
    /// singleton proxy; <paramref name="system"/> is read for the cluster membership.
    /// Throws <see cref="WebConfigurationException"/> for options that cannot work, e.g. a non-loopback address without a token.
    /// </summary>
    public static WebApplication Build(WebOptions options, IActorRef scheduler, ActorSystem system, TimeProvider? clock = null)
    {
        options = options.Validated();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LighthouseWeb).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(options.Url);
        // The slim builder leaves out HTTPS for https:// URLs unless asked.
        if (options.Certificate is not null) builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = RequestBody.HardCap(options.MaxBodyBytes);
            // The URL says https then; every endpoint it binds takes this certificate.
            if (options.Certificate is { } certificate) kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
        });
        // The host logs through Akka; ASP.NET's own chatter is kept to warnings.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRouting();

        var app = builder.Build();
        var gateway = new SchedulerGateway(scheduler, options.EffectiveAskTimeout, HostReadiness.Of(system));
        var waits = TaskWaits.Start(system, scheduler, gateway, options.EffectiveAskTimeout);
        app.Lifetime.ApplicationStopped.Register(() => system.Stop(waits.Watcher));
        var metrics = new LighthouseMetrics();
        app.Lifetime.ApplicationStopped.Register(metrics.Dispose);

        app.UseSecurityHeaders();
        app.UseJsonErrors();
        app.UseApiAccess(ApiTokens.Of(options));
        app.MapMonitorPage();
        app.MapTaskEndpoints(options, gateway, waits);
        app.MapViewEndpoints(gateway, system, new OverviewSource(gateway, system, clock ?? TimeProvider.System));
        app.MapLimitEndpoints(options, gateway);
        app.MapUserPolicyEndpoints(options, gateway);
        app.MapHealthEndpoints(options, gateway);
        app.MapMetricsEndpoint(metrics, gateway, app.Logger);
        return app;
    }

    /// <summary>The address the started app listens on, with the real port when <see cref="WebOptions.Port"/> was 0.</summary>
    public static Uri ListeningAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the web app is not listening; start it first");
        return new Uri(first);
    }
}
