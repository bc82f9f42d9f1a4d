using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Http;

namespace Orchestrator.Tests.Security;

/// <summary>
/// The HTTP token over the published binary: a token file that others can read is refused as ssh refuses such a key
/// (unless accepted explicitly); a rotated file takes effect at the next request and a broken one never leaves the
/// server open, across a restart too; a token given as a flag leaves the process's command line at the first restart;
/// the token never reaches the log or an answer; 401 and 403 say nothing about the server.
/// </summary>
public sealed class TokenTests
{
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode640 = Mode600 | UnixFileMode.GroupRead;
    private const UnixFileMode Mode644 = Mode640 | UnixFileMode.OtherRead;

    private static string NewToken(string name) => $"{name}-{Guid.NewGuid():n}";

    /// <summary>Writes <paramref name="token"/> to a new file, mode 0600, renamed over <paramref name="path"/>: how a token is rotated.</summary>
    private static void Rotate(string path, string token)
    {
        var temporary = path + ".new";
        File.WriteAllText(temporary, token + "\n");
        File.SetUnixFileMode(temporary, Mode600);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The HTTP status of a stateless tools/list carrying <paramref name="token"/> (none when null).</summary>
    private static async Task<HttpStatusCode> StatusWith(HttpServerProcess server, string? token)
    {
        using var client = new McpHttpClient(server.Url, McpHttpClient.StatelessProtocol, token);
        var (status, _) = await client.PostAsync("tools/list", new JsonObject());
        return status;
    }

    private static string CommandLineOf(int pid) => Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/cmdline")).Replace('\0', ' ');

    [Test]
    public async Task A_token_file_that_others_can_read_is_refused_at_start_unless_accepted()
    {
        using var data = new TempDirectory();
        using var secrets = new TempDirectory();
        var token = NewToken("readable");
        var tokenFile = Path.Combine(secrets.Path, "token");
        await File.WriteAllTextAsync(tokenFile, token);

        foreach (var (mode, octal) in new[] { (Mode644, "0644"), (Mode640, "0640") })
        {
            File.SetUnixFileMode(tokenFile, mode);
            var (exit, output, err) = await ProcessRun.RunAsync(PublishedBinary.Path,
                ["--http", "127.0.0.1:0", "--data-dir", data.Path, "--auth-token-file", tokenFile]);
            await Assert.That(exit).IsEqualTo(2);
            await Assert.That(output).IsEmpty();
            await Assert.That(err).Contains($"--auth-token-file: {tokenFile}: other users can read it (mode {octal})")
                .And.Contains($"chmod 600 {tokenFile}").And.Contains("--allow-readable-token-file").And.DoesNotContain(token);
        }

        File.SetUnixFileMode(tokenFile, Mode600);
        await File.WriteAllTextAsync(tokenFile, "  \n");
        var empty = await ProcessRun.RunAsync(PublishedBinary.Path, ["--http", "127.0.0.1:0", "--data-dir", data.Path, "--auth-token-file", tokenFile]);
        await Assert.That(empty.Exit).IsEqualTo(2);
        await Assert.That(empty.Err).Contains($"{tokenFile} is empty");

        // Accepted explicitly (a secret mounted 0444 in a container): served, and the token is still required.
        await File.WriteAllTextAsync(tokenFile, token);
        File.SetUnixFileMode(tokenFile, Mode644);
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--auth-token-file", tokenFile, "--allow-readable-token-file");
        await Assert.That(await StatusWith(server, null)).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(await StatusWith(server, token)).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task A_rotated_token_file_takes_effect_at_once_and_a_broken_one_keeps_the_last_good_token_across_a_restart()
    {
        using var data = new TempDirectory();
        using var secrets = new TempDirectory();
        var tokenFile = Path.Combine(secrets.Path, "token");
        string first = NewToken("first"), second = NewToken("second"), exposed = NewToken("exposed"), third = NewToken("third");
        Rotate(tokenFile, first);
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--auth-token-file", tokenFile, "--log-level", "trace");
        await Assert.That(await StatusWith(server, first)).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await StatusWith(server, null)).IsEqualTo(HttpStatusCode.Unauthorized);

        // Rotated: the next request is checked against the new token, without a restart.
        Rotate(tokenFile, second);
        await Assert.That(await StatusWith(server, second)).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await StatusWith(server, first)).IsEqualTo(HttpStatusCode.Unauthorized);

        // Broken in every way a file can break: emptied, readable by others, removed. The last good token stays, the
        // server never opens.
        await File.WriteAllTextAsync(tokenFile, "");
        await Assert.That(await StatusWith(server, second)).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await StatusWith(server, null)).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(await StatusWith(server, "")).IsEqualTo(HttpStatusCode.Unauthorized);
        await File.WriteAllTextAsync(tokenFile, exposed);
        File.SetUnixFileMode(tokenFile, Mode644);
        await Assert.That(await StatusWith(server, exposed)).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(await StatusWith(server, second)).IsEqualTo(HttpStatusCode.OK);
        File.Delete(tokenFile);
        await Assert.That(await StatusWith(server, second)).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await StatusWith(server, null)).IsEqualTo(HttpStatusCode.Unauthorized);

        // A restart while the file is gone: the new image cannot read it, and keeps the token the old one accepted.
        using (var client = new McpHttpClient(server.Url, token: second))
        {
            await client.InitializeAsync();
            var restart = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Structured();
            await Assert.That(restart["success"]!.GetValue<bool>()).IsTrue();
        }
        await server.WaitForServingAsync(2);
        await Assert.That(await StatusWith(server, second)).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await StatusWith(server, null)).IsEqualTo(HttpStatusCode.Unauthorized);

        // The file is back, rotated: the new image follows it too.
        Rotate(tokenFile, third);
        await Assert.That(await StatusWith(server, third)).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await StatusWith(server, second)).IsEqualTo(HttpStatusCode.Unauthorized);

        await Assert.That(await server.TerminateAsync()).IsEqualTo(0);
        var log = server.Stderr;
        await Assert.That(log).Contains("its new token is in effect").And.Contains("the token last accepted stays in effect")
            .And.Contains("the token the previous image accepted stays in effect");
        foreach (var token in new[] { first, second, exposed, third })
            await Assert.That(log).DoesNotContain(token);
    }

    [Test]
    public async Task A_token_given_as_a_flag_leaves_the_command_line_at_the_first_restart_and_reaches_no_log_or_answer()
    {
        using var data = new TempDirectory();
        var token = NewToken("flag");
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--auth-token", token, "--log-level", "trace");
        // The first image was started so: the kernel shows its argv to every local user (hence the warning).
        await Assert.That(CommandLineOf(server.Pid)).Contains(token);

        var answers = new StringBuilder();
        using (var client = new McpHttpClient(server.Url, token: token))
        {
            await client.InitializeAsync();
            var restart = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Structured();
            await Assert.That(restart["success"]!.GetValue<bool>()).IsTrue();
            await server.WaitForServingAsync(2);
            answers.Append(restart.ToJsonString());
            foreach (var tool in new[] { "orchestrator_health_check", "orchestrator_shutdown_prepare", "orchestrator_reconnect_test" })
                answers.Append((await client.CallToolAsync(tool)).ToJsonString());
            answers.Append((await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).ToJsonString());
        }

        // The new image's argv does not carry it, and the token is still required.
        await Assert.That(CommandLineOf(server.Pid)).DoesNotContain(token).And.Contains("--resume");
        await Assert.That(await StatusWith(server, null)).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(await StatusWith(server, token)).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(answers.ToString()).Contains("\"pid\"").And.DoesNotContain(token);

        await Assert.That(await server.TerminateAsync()).IsEqualTo(0);
        await Assert.That(server.Stderr).Contains("--auth-token puts the token in the command line").And.DoesNotContain(token);
    }

    [Test]
    public async Task Refusals_tell_a_client_nothing_about_the_server()
    {
        using var data = new TempDirectory();
        var token = NewToken("refusals");
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--auth-token", token);

        async Task<(string Head, string Body)> Send(string path, string? authorization, string? origin, string? host)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(server.Url.Host, server.Url.Port);
            const string Body = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""";
            var head = $"POST {path} HTTP/1.1\r\nHost: {host ?? server.Url.Authority}\r\nContent-Type: application/json\r\n" +
                       "Accept: application/json, text/event-stream\r\n" +
                       (authorization is null ? "" : $"Authorization: {authorization}\r\n") + (origin is null ? "" : $"Origin: {origin}\r\n") +
                       $"Content-Length: {Body.Length}\r\nConnection: close\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head + Body));
            using var received = new MemoryStream();
            var buffer = new byte[4096];
            int read;
            while ((read = await socket.ReceiveAsync(buffer)) > 0) received.Write(buffer, 0, read);
            var response = Encoding.UTF8.GetString(received.ToArray());
            var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            return (response[..split], response[(split + 4)..]);
        }

        var refusals = new[]
        {
            ("401", await Send("/mcp", null, null, null)),
            ("401", await Send("/mcp", "Bearer wrong", null, null)),
            ("401", await Send($"/{Uri.EscapeDataString(data.Path)}/secret", null, null, null)),
            ("403", await Send("/mcp", $"Bearer {token}", "http://evil.example", null)),
            ("403", await Send("/mcp", $"Bearer {token}", null, $"rebound.example:{server.Url.Port}")),
        };
        foreach (var (status, (head, body)) in refusals)
        {
            var lines = head.Split("\r\n");
            await Assert.That(lines[0]).StartsWith($"HTTP/1.1 {status} ");
            var names = lines.Skip(1).Select(l => l[..l.IndexOf(':')].ToLowerInvariant()).Order().ToArray();
            if (status == "401")
            {
                await Assert.That(names).IsEquivalentTo(["connection", "content-length", "date", "www-authenticate"]);
                await Assert.That(lines).Contains("WWW-Authenticate: Bearer");
                await Assert.That(body).IsEmpty();
            }
            else
            {
                await Assert.That(names).IsEquivalentTo(["connection", "content-length", "content-type", "date"]);
                await Assert.That(body).IsEqualTo("""{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Forbidden"}}""");
            }
            foreach (var leak in new[] { "orchestrator", "kestrel", "0.1.0", "evil", "rebound", data.Path, token })
                await Assert.That((head + body).ToLowerInvariant()).DoesNotContain(leak.ToLowerInvariant());
        }
    }
}
