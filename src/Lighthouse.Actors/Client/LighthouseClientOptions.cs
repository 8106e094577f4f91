namespace Lighthouse.Client;

/// <summary>How a <see cref="LighthouseClient"/> waits, retries and (for <see cref="LighthouseClient.ConnectAsync(string, LighthouseClientOptions?, CancellationToken)"/>) binds.</summary>
public sealed record LighthouseClientOptions
{
    /// <summary>The defaults: 10 s per request, resend after 2 s of silence, ask again about a waited-for task after 2 s without news, bound to 127.0.0.1, Akka logging at WARNING.</summary>
    public static LighthouseClientOptions Default { get; } = new();

    /// <summary>
    /// How long one request may take, resends included, before it fails with <see cref="LighthouseUnavailableException"/>.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When the scheduler has answered nothing for this long, every request unanswered for this long is sent again.
    /// A resent submission keeps its submission id, so the scheduler answers the original task id instead of queueing
    /// the task twice. Silence, not a per-request timer, triggers it: a request that merely waits behind thousands of
    /// pipelined others is never resent while answers keep flowing.
    /// </summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A wait (<see cref="LighthouseClient.WaitAsync"/>, <see cref="LighthouseClient.RunAsync(Protocol.SubmitTask, IProgress{Protocol.TaskInfo}?, CancellationToken)"/>)
    /// is told the task's end by the scheduler instead of polling for it. When nothing has been heard of the task for
    /// this long, the client asks again (a <see cref="Protocol.WatchTask"/>, whose answer is the task's current status):
    /// the scheduler keeps watches in memory only, so one that moved or recovered has forgotten them, and a lost
    /// connection loses what was pushed over it. Shorter finds such a loss sooner; each ask costs one request per waited-for task.
    /// </summary>
    public TimeSpan WatchRefreshInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The address the client's own ActorSystem binds (<see cref="LighthouseClient.ConnectAsync(string, LighthouseClientOptions?, CancellationToken)"/> only).
    /// Answers come back over the connection the client opened, so the host need not reach this address itself.
    /// </summary>
    public string LocalHostname { get; init; } = "127.0.0.1";

    /// <summary>
    /// The Akka log level of the client's own ActorSystem (<c>OFF</c>, <c>ERROR</c>, <c>WARNING</c>, <c>INFO</c>, <c>DEBUG</c>);
    /// the command line uses <c>OFF</c> so that nothing but its own output reaches the terminal.
    /// </summary>
    public string LogLevel { get; init; } = "WARNING";

    /// <summary>
    /// Mutual TLS for the client's own ActorSystem (<see cref="LighthouseClient.ConnectAsync(string, LighthouseClientOptions?, CancellationToken)"/>
    /// only): its certificate, which says the users it may act for, and the cluster's CA (<see cref="Security.TlsCredentials.Load"/>).
    /// Null: plaintext, which only a host on loopback or one started with --insecure accepts.
    /// </summary>
    public Security.TlsCredentials? Tls { get; init; }

    /// <summary>
    /// Whether <see cref="LighthouseClient.ConnectAsync(string, LighthouseClientOptions?, CancellationToken)"/> proves the
    /// host with a round trip before it returns (true, the default), or returns at once and lets the first request find
    /// out (false). A one-shot program that sends one request anyway saves a round trip: the command line does this.
    /// </summary>
    public bool CheckOnConnect { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the option and its value when one is unusable.</summary>
    public LighthouseClientOptions Validated()
    {
        if (RequestTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"RequestTimeout {RequestTimeout} is invalid: it must be positive", nameof(RequestTimeout));
        if (RetryInterval <= TimeSpan.Zero)
            throw new ArgumentException($"RetryInterval {RetryInterval} is invalid: it must be positive", nameof(RetryInterval));
        if (WatchRefreshInterval <= TimeSpan.Zero)
            throw new ArgumentException($"WatchRefreshInterval {WatchRefreshInterval} is invalid: it must be positive", nameof(WatchRefreshInterval));
        if (string.IsNullOrWhiteSpace(LocalHostname))
            throw new ArgumentException("LocalHostname is empty", nameof(LocalHostname));
        if (LogLevel.ToUpperInvariant() is not ("OFF" or "ERROR" or "WARNING" or "INFO" or "DEBUG"))
            throw new ArgumentException($"LogLevel \"{LogLevel}\" is invalid: use OFF, ERROR, WARNING, INFO or DEBUG", nameof(LogLevel));
        return this;
    }
}
