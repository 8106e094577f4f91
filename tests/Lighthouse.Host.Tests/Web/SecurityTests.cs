using System.Net;
using System.Text.Json;
using Akka.Actor;
using Lighthouse.Host.Web;

namespace Lighthouse.Host.Tests.Web;

/// <summary>The bearer token on every API request, the loopback default, and the refusal of an open address without a token.</summary>
public sealed class SecurityTests
{
    private const string Token = "s3cret-token";

    [Fact]
    public async Task With_a_bearer_token_submit_cancel_and_reads_need_it()
    {
        await using var web = await WebHarness.Start(new WebOptions(BearerToken: Token));

        using var none = await web.PostJson("/api/tasks", """{"name": "echo"}""");
        using var wrong = await web.PostJson("/api/tasks", """{"name": "echo"}""", "not-it");
        var id = await web.Submit("""{"name": "echo"}""", Token);
        using var cancelWithout = await web.Delete("/api/tasks/" + id);
        using var cancelWrong = await web.Delete("/api/tasks/" + id, Token + "x");
        using var readWithout = await web.Get("/api/tasks/" + id);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("this endpoint needs \"Authorization: Bearer <token>\"; none was sent", await ErrorOf(none));
        Assert.Equal((HttpStatusCode.Unauthorized, "the bearer token is wrong"), (wrong.StatusCode, await ErrorOf(wrong)));
        Assert.Equal(HttpStatusCode.Unauthorized, cancelWithout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, cancelWrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, readWithout.StatusCode);
        // Refused requests changed nothing: one task, still queued.
        Assert.Equal(1, (await web.GetJson("/api/queues", Token)).GetProperty("queued").GetInt32());
        Assert.Equal("queued", (await web.GetJson("/api/tasks/" + id, Token)).GetProperty("state").GetString());

        using var cancel = await web.Delete("/api/tasks/" + id, Token);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task A_submission_not_declared_json_is_415_so_no_web_page_can_forge_one(string? contentType)
    {
        // What a cross-origin page can send without a CORS preflight: a form or text/plain POST.
        await using var web = await WebHarness.Start();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/tasks") { Content = new ByteArrayContent("""{"name": "echo"}"""u8.ToArray()) };
        if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await web.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.StartsWith("POST /api/tasks takes a JSON body (Content-Type: application/json), not ", await ErrorOf(response));
        Assert.Equal(0, (await web.GetJson("/api/queues")).GetProperty("queued").GetInt32());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/queues")]
    [InlineData("/api/tasks/task-404")]
    [InlineData("/no/such/page")]
    public async Task Every_answer_forbids_sniffing_framing_and_foreign_scripts(string path)
    {
        await using var web = await WebHarness.Start();

        using var response = await web.Http.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("script-src 'self'", policy);
    }

    [Fact]
    public void An_internal_error_answers_a_generic_message_and_keeps_the_detail_for_the_log()
    {
        var (status, message) = ApiErrors.Describe(new InvalidOperationException("cannot open /srv/secret/db.key"));

        Assert.Equal(500, status);
        Assert.Equal("internal error; the host's log has the details", message);
    }

    [Fact]
    public async Task Without_a_token_mutating_endpoints_are_open_on_loopback()
    {
        await using var web = await WebHarness.Start();

        var id = await web.Submit("""{"name": "echo"}""");
        using var cancel = await web.Delete("/api/tasks/" + id);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("127.0.0.1", web.BaseAddress.Host);
    }

    [Fact]
    public void The_defaults_listen_on_loopback_port_9000_with_a_one_mebibyte_body_limit()
    {
        var options = WebOptions.Default;

        Assert.Equal("http://127.0.0.1:9000", options.Url);
        Assert.True(options.IsLoopback);
        Assert.Equal(1024 * 1024, options.MaxBodyBytes);
        Assert.Null(options.BearerToken);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.0.2.10")]
    [InlineData("::")]
    [InlineData("lighthouse.example")]
    public async Task A_non_loopback_address_without_a_token_is_refused_at_start_up_with_the_reason(string address)
    {
        var system = ActorSystem.Create("lighthouse-web-security");
        try
        {
            var error = Assert.Throws<WebConfigurationException>(() => LighthouseWeb.Build(new WebOptions(Address: address), ActorRefs.Nobody, system));

            Assert.Contains($"refusing to serve the HTTP API on {new WebOptions(Address: address).Url} without a bearer token", error.Message);
            Assert.Contains($"{address} is not a loopback address", error.Message);
            // With a token the same address is accepted (built, not started: tests only listen on loopback).
            await using var app = LighthouseWeb.Build(new WebOptions(Address: address, BearerToken: Token), ActorRefs.Nobody, system);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.3.4.5")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Loopback_addresses_need_no_token(string address) =>
        Assert.True(new WebOptions(Address: address).Validated().IsLoopback);

    [Theory]
    [InlineData(70000, null, 1L, "the HTTP port 70000 is invalid: it must be between 0 and 65535")]
    [InlineData(9000, "", 1L, "the HTTP bearer token is empty or contains white space")]
    [InlineData(9000, "a b", 1L, "the HTTP bearer token is empty or contains white space")]
    [InlineData(9000, null, 0L, "the HTTP maximum body size 0 is invalid: it must be at least 1 byte")]
    public void Options_that_cannot_work_are_refused_naming_the_value(int port, string? token, long maxBody, string message) =>
        Assert.Equal(message, Assert.Throws<WebConfigurationException>(() => new WebOptions(Port: port, BearerToken: token, MaxBodyBytes: maxBody).Validated()).Message);

    [Fact]
    public void An_ipv6_address_is_bracketed_in_the_url() =>
        Assert.Equal("http://[::1]:9000", new WebOptions(Address: "::1").Url);

    private static async Task<string> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
}
