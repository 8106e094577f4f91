using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lighthouse.Tests.Shared;

/// <summary>
/// An application's own ActorSystem named <c>lighthouse</c>, built with Akka.Hosting and run as the application's host
/// would run it: every hosted service started in order, and on dispose stopped, then the container disposed.
/// </summary>
internal sealed class HostedAkka : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _hosted;

    private HostedAkka(ServiceProvider provider, List<IHostedService> hosted)
    {
        _provider = provider;
        _hosted = hosted;
    }

    public IServiceProvider Services => _provider;

    public ActorSystem System => _provider.GetRequiredService<ActorSystem>();

    public static async Task<HostedAkka> StartAsync(Action<AkkaConfigurationBuilder> configure, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostApplicationLifetime, NoApplicationLifetime>();
        services.AddAkka(LighthouseNames.ActorSystem, configure);
        var provider = services.BuildServiceProvider();
        try
        {
            var hosted = provider.GetServices<IHostedService>().ToList();
            foreach (var service in hosted) await service.StartAsync(cancellationToken);
            return new HostedAkka(provider, hosted);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _hosted) await service.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
    }

    /// <summary>Akka.Hosting asks for the application's lifetime; a test has no application around it.</summary>
    private sealed class NoApplicationLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() { }
    }
}
