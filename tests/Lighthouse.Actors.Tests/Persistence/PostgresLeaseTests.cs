using Akka.Configuration;
using Akka.Coordination;
using Lighthouse.Persistence.Sql;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// The PostgreSQL lease against a real, throw-away PostgreSQL server: one holder at a time, expiry after the time to live,
/// renewal, release, and a holder that stood still past the time to live losing the lease without being told.
/// </summary>
public sealed class PostgresLeaseTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private PostgresServer? _postgres;

    public async Task InitializeAsync() => _postgres = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Of_two_contenders_one_holds_the_lease_until_it_releases_it()
    {
        var a = Lease("a", ttl: "30s");
        var b = Lease("b", ttl: "30s");

        Assert.True(await a.Acquire());
        Assert.False(await b.Acquire());
        Assert.True(a.CheckLease());
        Assert.False(b.CheckLease());
        // Acquiring again is renewing: the holder keeps it.
        Assert.True(await a.Acquire());
        Assert.Equal("a", await a.HolderAsync());

        Assert.True(await a.Release());
        Assert.False(a.CheckLease());
        Assert.True(await b.Acquire());
        Assert.Equal("b", await a.HolderAsync());
        await b.Release();
    }

    [Fact]
    public async Task A_lease_nobody_renews_expires_and_another_owner_takes_it()
    {
        // No heartbeat: a holds the lease once and never renews it.
        var a = Lease("a", ttl: "1s", heartbeat: "never");
        var b = Lease("b", ttl: "1s", heartbeat: "never");
        Assert.True(await a.Acquire());
        Assert.False(await b.Acquire());

        var taken = await Eventually.Until(() => b.Acquire(), won => won, Limit, "b took the expired lease");

        Assert.True(taken);
        Assert.Equal("b", await b.HolderAsync());
        await b.Release();
    }

    [Fact]
    public async Task A_holder_that_renews_keeps_the_lease_past_its_time_to_live()
    {
        var a = Lease("a", ttl: "1s", heartbeat: "200ms");
        var b = Lease("b", ttl: "1s", heartbeat: "200ms");
        Assert.True(await a.Acquire());

        // Three times the time to live, with a contender trying all along.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < until)
        {
            Assert.False(await b.Acquire());
            await Task.Delay(100);
        }

        Assert.True(a.CheckLease());
        Assert.Equal("a", await a.HolderAsync());
        await a.Release();
    }

    [Fact]
    public async Task A_holder_that_stood_still_past_its_time_to_live_stops_believing_it_holds_the_lease_and_loses_it_on_waking()
    {
        // A frozen holder: its heartbeat never runs (as in a SIGSTOPped process), its clock moves on.
        var clock = new ManualTimestamps();
        var lost = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = Lease("a", ttl: "2s", heartbeat: "never", clock: clock);
        var b = Lease("b", ttl: "2s", heartbeat: "never");
        Assert.True(await a.Acquire(e => lost.TrySetResult(e)));
        Assert.True(a.CheckLease());

        clock.Advance(TimeSpan.FromSeconds(2));

        // Before any word from the database, the holder's own clock says the lease may be gone.
        Assert.False(a.CheckLease());
        await Eventually.Until(() => b.Acquire(), won => won, Limit, "b took the lease while a stood still");
        // a wakes and renews: the lease is b's, and a is told it lost it.
        await a.RenewAsync();
        var why = await lost.Task.WaitAsync(Limit);
        Assert.IsType<LeaseException>(why);
        Assert.Contains("was taken over", why.Message, StringComparison.Ordinal);
        Assert.False(a.CheckLease());
        Assert.Equal("b", await b.HolderAsync());
        await b.Release();
    }

    [Fact]
    public async Task Releasing_a_lease_another_owner_holds_leaves_it_with_that_owner()
    {
        var a = Lease("a", ttl: "30s");
        var b = Lease("b", ttl: "30s");
        Assert.True(await a.Acquire());

        await b.Release();

        Assert.Equal("a", await a.HolderAsync());
        await a.Release();
    }

    [Fact]
    public void A_lease_without_a_connection_string_names_the_key()
    {
        var settings = new LeaseSettings("x", "a", new TimeoutSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3)), Config.Empty);

        var e = Assert.Throws<ArgumentException>(() => new PostgresLease(settings, TimeProvider.System, "a"));

        Assert.Contains("lighthouse.lease.connection-string", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A lease of owner <paramref name="owner"/>; a heartbeat of "never" stands for a holder whose heartbeat does not run
    /// (Akka's own settings parser would refuse it: it wants the heartbeat under half the time to live).
    /// </summary>
    private PostgresLease Lease(string owner, string ttl, string heartbeat = "100ms", TimeProvider? clock = null)
    {
        var config = ConfigurationFactory.ParseString($"""
            connection-string = "{_postgres!.ConnectionString()}"
            heartbeat-timeout = {ttl}
            heartbeat-interval = {(heartbeat == "never" ? "100ms" : heartbeat)}
            lease-operation-timeout = 5s
            """);
        var settings = LeaseSettings.Create(config, "test-lease", owner);
        if (heartbeat == "never")
        {
            var timeouts = settings.TimeoutSettings;
            settings = settings.WithTimeoutSettings(new TimeoutSettings(TimeSpan.FromHours(1), timeouts.HeartbeatTimeout, timeouts.OperationTimeout));
        }
        return new PostgresLease(settings, clock ?? TimeProvider.System, owner);
    }

    /// <summary>A monotonic clock that moves only when the test says so (timers are the system's).</summary>
    private sealed class ManualTimestamps : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Volatile.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
