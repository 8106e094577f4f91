using Akka.Actor;
using Akka.Cluster;
using Akka.Coordination;
using Akka.Event;
using Npgsql;

namespace Lighthouse.Persistence.Sql;

/// <summary>
/// An Akka <see cref="Lease"/> kept in a PostgreSQL table, the one store every Lighthouse host on PostgreSQL already
/// shares: the split-brain resolver's <c>lease-majority</c> takes it before it downs anyone, so that of two sides that
/// cannot see each other only one acts (docs/durability.md "How many scheduler hosts").
/// <para>
/// One row per lease name: its owner and when it expires, by the database's clock (hosts' clocks never compare).
/// Acquiring and renewing are the same single statement, an insert that, on conflict, takes the row over only if this
/// owner already holds it or it has expired; its answer says who holds the lease now. A holder renews every
/// <c>heartbeat-interval</c> for <c>heartbeat-timeout</c> (the time to live); a renewal that finds another owner
/// calls the lease-lost callback. Release deletes the row if this owner still holds it.
/// </para>
/// <para>
/// The owner is Akka's name for it (host and port) and, in a cluster, this incarnation's uid: a restarted host on the same
/// port is a new owner and cannot inherit a lease its predecessor took. <see cref="CheckLease"/> answers from this
/// process's monotonic clock, counted from before the statement that last won: a holder frozen past the time to live
/// (SIGSTOP, a suspended VM) stops believing it holds the lease before it has talked to the database again.
/// </para>
/// </summary>
public sealed class PostgresLease : Lease
{
    /// <summary>The configuration section <c>lighthouse serve</c> writes for this lease (<see cref="SqlJournalConfig.Lease"/>).</summary>
    public const string ConfigPath = "lighthouse.lease";

    /// <summary>The table when the lease's configuration names none.</summary>
    public const string DefaultTable = "lighthouse_lease";

    private readonly string _connectionString;
    private readonly string _table;
    private readonly string _owner;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter? _log;
    private readonly Lock _gate = new();
    private long _validUntil;
    private bool _held;
    private ITimer? _heartbeat;
    private Action<Exception>? _lost;
    private int _tableReady;
    private int _renewing;

    public PostgresLease(LeaseSettings settings, ExtendedActorSystem system)
        : this(settings, TimeProvider.System, OwnerOf(settings, system), Logging.GetLogger(system, typeof(PostgresLease)))
    {
    }

    /// <summary>For tests: a lease on <paramref name="clock"/>'s monotonic time, held as <paramref name="owner"/>.</summary>
    internal PostgresLease(LeaseSettings settings, TimeProvider clock, string owner, ILoggingAdapter? log = null)
        : base(settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = settings.LeaseConfig;
        _connectionString = config.GetString("connection-string", null) is { Length: > 0 } connection
            ? connection
            : throw new ArgumentException($"the lease \"{settings.LeaseName}\" has no connection-string: set {ConfigPath}.connection-string (an Npgsql connection string)");
        _table = config.GetString("table", DefaultTable) is { Length: > 0 } table ? table : DefaultTable;
        if (!IsPlainName(_table))
            throw new ArgumentException($"{ConfigPath}.table = \"{_table}\" is not a plain table name (letters, digits and _, not starting with a digit)");
        _clock = clock;
        _owner = owner;
        _log = log;
    }

    /// <summary>Who this lease is held as in the table.</summary>
    public string Owner => _owner;

    private TimeSpan TimeToLive => Settings.TimeoutSettings.HeartbeatTimeout;

    public override Task<bool> Acquire() => Acquire(null!);

    public override async Task<bool> Acquire(Action<Exception> leaseLostCallback)
    {
        lock (_gate) _lost = leaseLostCallback;
        var won = await TakeAsync().ConfigureAwait(false);
        if (won) StartHeartbeat();
        return won;
    }

    public override bool CheckLease()
    {
        lock (_gate) return _held && _clock.GetTimestamp() < _validUntil;
    }

    public override async Task<bool> Release()
    {
        StopHeartbeat();
        lock (_gate) _held = false;
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DELETE FROM {_table} WHERE name = @name AND owner = @owner", connection);
        command.Parameters.AddWithValue("name", Settings.LeaseName);
        command.Parameters.AddWithValue("owner", _owner);
        command.CommandTimeout = CommandTimeout;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// One round of acquire-or-renew: the row is inserted, or taken over if this owner holds it or it has expired, in one
    /// statement; whether it now names this owner decides. The validity is counted from before the statement was sent.
    /// </summary>
    internal async Task<bool> TakeAsync()
    {
        var sent = _clock.GetTimestamp();
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO {_table} AS l (name, owner, expires_at) VALUES (@name, @owner, clock_timestamp() + @ttl)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
              WHERE l.owner = excluded.owner OR l.expires_at < clock_timestamp()
            RETURNING owner
            """, connection);
        command.Parameters.AddWithValue("name", Settings.LeaseName);
        command.Parameters.AddWithValue("owner", _owner);
        command.Parameters.AddWithValue("ttl", TimeToLive);
        command.CommandTimeout = CommandTimeout;
        var won = await command.ExecuteScalarAsync().ConfigureAwait(false) is string owner && owner == _owner;
        lock (_gate)
        {
            _held = won;
            _validUntil = won ? sent + (long)(TimeToLive.TotalSeconds * _clock.TimestampFrequency) : 0;
        }
        return won;
    }

    /// <summary>Who holds the lease now by the table (null: nobody, or it expired): for logs and tests.</summary>
    internal async Task<string?> HolderAsync()
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT owner FROM {_table} WHERE name = @name AND expires_at >= clock_timestamp()", connection);
        command.Parameters.AddWithValue("name", Settings.LeaseName);
        return await command.ExecuteScalarAsync().ConfigureAwait(false) as string;
    }

    private int CommandTimeout => Math.Max(1, (int)Math.Ceiling(Settings.TimeoutSettings.OperationTimeout.TotalSeconds));

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        using var limit = new CancellationTokenSource(Settings.TimeoutSettings.OperationTimeout);
        await connection.OpenAsync(limit.Token).ConfigureAwait(false);
        if (Interlocked.CompareExchange(ref _tableReady, 1, 0) == 0)
        {
            try
            {
                await using var create = new NpgsqlCommand(
                    $"CREATE TABLE IF NOT EXISTS {_table} (name text PRIMARY KEY, owner text NOT NULL, expires_at timestamptz NOT NULL)", connection);
                await create.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
            {
                // Another host created it at the same moment.
            }
            catch
            {
                _tableReady = 0;
                throw;
            }
        }
        return connection;
    }

    private void StartHeartbeat()
    {
        lock (_gate)
        {
            _heartbeat ??= _clock.CreateTimer(_ => _ = RenewAsync(), null, Settings.TimeoutSettings.HeartbeatInterval, Settings.TimeoutSettings.HeartbeatInterval);
        }
    }

    private void StopHeartbeat()
    {
        ITimer? heartbeat;
        lock (_gate)
        {
            heartbeat = _heartbeat;
            _heartbeat = null;
        }
        heartbeat?.Dispose();
    }

    /// <summary>
    /// The heartbeat: renews the lease. If another owner has it now, or the database could not be reached for longer than
    /// the lease lives, it is lost: the heartbeat stops and the lease-lost callback says why.
    /// </summary>
    internal async Task RenewAsync()
    {
        // A renewal slower than the interval (a slow database) is not overtaken by the next one.
        if (Interlocked.Exchange(ref _renewing, 1) == 1) return;
        try
        {
            await RenewOnceAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _renewing, 0);
        }
    }

    private async Task RenewOnceAsync()
    {
        Exception? why = null;
        try
        {
            if (!await TakeAsync().ConfigureAwait(false))
                why = new LeaseException($"the lease \"{Settings.LeaseName}\" was taken over while {_owner} held it (it was not renewed within {TimeToLive})");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            if (!CheckLease()) why = new LeaseException($"the lease \"{Settings.LeaseName}\" could not be renewed within {TimeToLive}: {e.Message}", e);
            else _log?.Warning("renewing the lease \"{0}\" failed ({1}); it is still held, trying again", Settings.LeaseName, e.Message);
        }
        if (why is null) return;
        Action<Exception>? lost;
        lock (_gate)
        {
            if (_heartbeat is null) return;
            _held = false;
            lost = _lost;
        }
        StopHeartbeat();
        _log?.Warning("{0}", why.Message);
        lost?.Invoke(why);
    }

    /// <summary>
    /// Akka names the owner by host and port; this incarnation's uid is added. An owner that already carries one is a
    /// member whose lease a host takes for it (DowningLeaseKeeper), and stays as it is, whichever host takes it.
    /// </summary>
    private static string OwnerOf(LeaseSettings settings, ExtendedActorSystem system) =>
        system.Provider is IClusterActorRefProvider && !settings.OwnerName.Contains('#', StringComparison.Ordinal)
            ? $"{settings.OwnerName}#{Cluster.Get(system).SelfUniqueAddress.Uid}"
            : settings.OwnerName;

    private static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 63 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
