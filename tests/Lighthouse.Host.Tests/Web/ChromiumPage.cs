using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// One page in Debian's headless chromium that a test can act on (type into a form, read the DOM), through the
/// DevTools protocol on a loopback port chosen by chromium. <see cref="Chromium.DumpDom"/> only loads and reads; this
/// is for the monitor's interactions. Disposing kills the browser and deletes its profile.
/// </summary>
internal sealed class ChromiumPage : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket;
    private int _nextId;

    private ChromiumPage(Process process, DirectoryInfo profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
    }

    public static async Task<ChromiumPage> Open(Uri url)
    {
        if (!File.Exists(Chromium.Executable))
            throw new InvalidOperationException(
                $"{Chromium.Executable} is missing, and the monitor's browser tests need it: run scripts/deps/chromium.sh (it installs Debian's chromium).");
        var profile = Directory.CreateTempSubdirectory("lighthouse-chromium-");
        var start = new ProcessStartInfo(Chromium.Executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-extensions", $"--user-data-dir={profile.FullName}",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", url.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Chromium.Executable}");
        var socket = new ClientWebSocket();
        var page = new ChromiumPage(process, profile, socket);
        try
        {
            // Chromium says where its DevTools listen on stderr; the rest of its output is drained and dropped.
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.ErrorDataReceived += (_, line) =>
            {
                const string prefix = "DevTools listening on ";
                if (line.Data?.StartsWith(prefix, StringComparison.Ordinal) == true) listening.TrySetResult(new Uri(line.Data[prefix.Length..].Trim()));
            };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var browser = await listening.Task.WaitAsync(Limit);
            using var http = new HttpClient { Timeout = Limit };
            var target = await Eventually.Until(
                async () => JsonNode.Parse(await http.GetStringAsync(new Uri(browser, "/json/list")))!.AsArray()
                    .FirstOrDefault(t => (string?)t!["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>(),
                found => found is not null, Limit, "chromium's page to appear in its DevTools target list");
            await socket.ConnectAsync(new Uri(target!), CancellationToken.None).WaitAsync(Limit);
            return page;
        }
        catch
        {
            await page.DisposeAsync();
            throw;
        }
    }

    /// <summary>The value of a JavaScript expression in the page (awaited when it is a promise).</summary>
    public async Task<JsonElement> Evaluate(string expression)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject
        {
            ["id"] = id,
            ["method"] = "Runtime.evaluate",
            ["params"] = new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true },
        };
        using var deadline = new CancellationTokenSource(Limit);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, deadline.Token);
        while (true)
        {
            using var answer = JsonDocument.Parse(await Receive(deadline.Token));
            var root = answer.RootElement;
            // Events (no id) and answers to other requests are skipped.
            if (!root.TryGetProperty("id", out var answered) || answered.GetInt32() != id) continue;
            if (root.TryGetProperty("error", out var error)) throw new InvalidOperationException($"DevTools refused {expression}: {error}");
            var result = root.GetProperty("result");
            if (result.TryGetProperty("exceptionDetails", out var thrown)) throw new InvalidOperationException($"{expression} threw in the page: {thrown}");
            return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
        }
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/>, a JavaScript expression, is true in the page.</summary>
    public Task Until(string condition, string what) =>
        Eventually.Holds(async () => (await Evaluate(condition)).ValueKind == JsonValueKind.True, what, Limit);

    private async Task<string> Receive(CancellationToken cancellation)
    {
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult part;
        do
        {
            part = await _socket.ReceiveAsync(buffer, cancellation);
            if (part.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("chromium closed its DevTools connection");
            message.Write(buffer, 0, part.Count);
        }
        while (!part.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(Limit);
        }
        finally
        {
            _process.Dispose();
            try { _profile.Delete(recursive: true); }
            catch (IOException) { /* chromium's helpers may still hold a file for a moment; the temp dir is cleaned eventually */ }
        }
    }
}
