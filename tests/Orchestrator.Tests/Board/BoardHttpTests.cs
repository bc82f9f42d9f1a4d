using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Orchestrator.Storage;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Http;

namespace Orchestrator.Tests.Board;

/// <summary>
/// The board's page and JSON API over real HTTP, from the published binary: under <c>--http</c> beside <c>/mcp</c>, and
/// alone (<c>orchestrator board</c>) on a store stdio servers use. Token refused, accepted, kept in a cookie; unknown ids,
/// huge query strings and a store of a newer schema answered with a clear status, the server still serving.
/// </summary>
public sealed class BoardHttpTests
{
    private const string Token = "board-test-token-0123456789";

    private static HttpClient Browser(CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true })
        {
            Timeout = McpStdioClient.AnswerTimeout,
        };

    private static async Task<(string SessionId, string TaskId)> PlanAsync(McpHttpClient client, string title)
    {
        var session = (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = Path.GetTempPath() }))
            .Result().Structured()["session_id"]!.GetValue<string>();
        var plan = new JsonObject
        {
            ["session_id"] = session,
            ["title"] = title,
            ["subtasks"] = new JsonArray(
                new JsonObject { ["title"] = "design it", ["role"] = "architect" },
                new JsonObject { ["title"] = "build it", ["role"] = "implementer", ["depends_on"] = new JsonArray("1") }),
        };
        var task = (await client.CallToolAsync("orchestrator_plan_task", plan)).Result().Structured()["task"]!["id"]!.GetValue<string>();
        return (session, task);
    }

    [Test]
    public async Task The_token_is_refused_accepted_and_kept_in_an_http_only_cookie()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--auth-token", Token);
        var board = new Uri(server.Url, "/board");
        using var anonymous = Browser();

        var page = await anonymous.GetAsync(board);
        await Assert.That(page.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(page.Content.Headers.ContentType!.MediaType).IsEqualTo("text/html");
        await Assert.That(await page.Content.ReadAsStringAsync()).Contains("needs the server's token");
        var api = await anonymous.GetAsync(new Uri(server.Url, "/board/api/overview"));
        await Assert.That(api.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(JsonNode.Parse(await api.Content.ReadAsStringAsync())!["error"]!.GetValue<string>()).Contains("token");
        var wrong = await anonymous.GetAsync(new Uri(server.Url, "/board?token=not-the-token"));
        await Assert.That(wrong.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(wrong.Headers.Contains("Set-Cookie")).IsFalse();

        // A bearer header, as MCP clients send it.
        using var bearer = Browser();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        await Assert.That((await bearer.GetAsync(new Uri(server.Url, "/board/api/overview"))).StatusCode).IsEqualTo(HttpStatusCode.OK);

        // Once in the URL: a cookie (HttpOnly, SameSite=Strict) and a redirect to the URL without it.
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        var once = await browser.GetAsync(new Uri(server.Url, "/board?token=" + Token));
        await Assert.That(once.StatusCode).IsEqualTo(HttpStatusCode.SeeOther);
        await Assert.That(once.Headers.Location!.OriginalString).IsEqualTo("/board");
        var setCookie = once.Headers.GetValues("Set-Cookie").Single();
        await Assert.That(setCookie).Contains("httponly");
        await Assert.That(setCookie).Contains("samesite=strict");
        var shown = await browser.GetAsync(board);
        await Assert.That(shown.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(shown.Headers.GetValues("Content-Security-Policy").Single()).Contains("script-src 'self'");
        await Assert.That(await shown.Content.ReadAsStringAsync()).Contains("<script src=\"/board/board.js\"");
        await Assert.That((await browser.GetAsync(new Uri(server.Url, "/board/api/health"))).StatusCode).IsEqualTo(HttpStatusCode.OK);

        // The typed-in form does the same.
        var formCookies = new CookieContainer();
        using var typed = Browser(formCookies);
        var login = await typed.PostAsync(new Uri(server.Url, "/board/login"), new FormUrlEncodedContent([new("token", Token)]));
        await Assert.That(login.StatusCode).IsEqualTo(HttpStatusCode.SeeOther);
        await Assert.That((await typed.GetAsync(new Uri(server.Url, "/board/api/overview"))).StatusCode).IsEqualTo(HttpStatusCode.OK);

        // The cookie opens the board only: /mcp still wants the header.
        var mcp = await browser.PostAsync(new Uri(server.Url, "/mcp"), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await Assert.That(mcp.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(server.Stderr).DoesNotContain(Token);
    }

    [Test]
    public async Task The_api_shows_tasks_and_answers_bad_input_with_a_clear_status()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path);
        using var client = new McpHttpClient(new Uri(server.Url, "/mcp"));
        await client.InitializeAsync();
        var (_, taskId) = await PlanAsync(client, "Board shows this task");
        using var browser = Browser();

        var overview = JsonNode.Parse(await browser.GetStringAsync(new Uri(server.Url, "/board/api/overview")))!;
        var planned = overview["columns"]!.AsArray().Single(c => c!["status"]!.GetValue<string>() == "planned")!;
        await Assert.That(planned["count"]!.GetValue<long>()).IsEqualTo(1);
        var card = planned["tasks"]!.AsArray().Single()!;
        await Assert.That(card["title"]!.GetValue<string>()).IsEqualTo("Board shows this task");
        await Assert.That(card["subtasks"]!.GetValue<long>()).IsEqualTo(2);
        await Assert.That(overview["sessions"]!.AsArray().Single()!["tasks"]!.GetValue<long>()).IsEqualTo(1);

        var task = JsonNode.Parse(await browser.GetStringAsync(new Uri(server.Url, "/board/api/task?id=" + taskId)))!;
        var subtasks = task["subtasks"]!.AsArray();
        await Assert.That(subtasks.Count).IsEqualTo(2);
        await Assert.That(subtasks[1]!["role"]!.GetValue<string>()).IsEqualTo("implementer");
        await Assert.That(subtasks[1]!["depends_on"]!.AsArray().Single()!.GetValue<string>()).IsEqualTo(subtasks[0]!["id"]!.GetValue<string>());

        async Task Expect(string path, HttpStatusCode status, string words)
        {
            var answer = await browser.GetAsync(new Uri(server.Url, path));
            await Assert.That(answer.StatusCode).IsEqualTo(status);
            await Assert.That(await answer.Content.ReadAsStringAsync()).Contains(words);
        }
        await Expect("/board/api/task?id=task_nosuchtask", HttpStatusCode.NotFound, "There is no task task_nosuchtask");
        await Expect("/board/api/task", HttpStatusCode.BadRequest, "Which task?");
        await Expect("/board/api/artifact?id=art_nosuch", HttpStatusCode.NotFound, "There is no artifact art_nosuch");
        await Expect("/board/api/artifact?id=x&length=99999999", HttpStatusCode.BadRequest, "length");
        await Expect("/board/api/artifact?id=x&offset=-1", HttpStatusCode.BadRequest, "offset");
        await Expect("/board/no-such-page", HttpStatusCode.NotFound, "no such page");
        await Expect("/board/api/overview?session=" + new string('x', 3000), HttpStatusCode.RequestUriTooLong, "at most 2048");
        // Past Kestrel's own bound on a request line: refused before the board sees it.
        var huge = await browser.GetAsync(new Uri(server.Url, "/board/api/overview?session=" + new string('x', 20_000)));
        await Assert.That((int)huge.StatusCode).IsEqualTo(414);
        // Nothing was changed, and the server still serves.
        var again = JsonNode.Parse(await browser.GetStringAsync(new Uri(server.Url, "/board/api/overview")))!;
        await Assert.That(again["columns"]!.AsArray().Sum(c => c!["count"]!.GetValue<long>())).IsEqualTo(1);
        await Assert.That(server.HasExited).IsFalse();
    }

    [Test]
    public async Task A_store_of_a_newer_schema_gets_a_clear_status_and_the_board_keeps_serving()
    {
        using var data = new TempDirectory();
        Unit.JitSqlite.Ensure();
        using (var database = Database.Open(Path.Combine(data.Path, "orchestrator.db")))
            database.Write((c, t) => { Database.Execute(c, $"PRAGMA user_version = {Migrations.Latest + 1}", t); return 0; });
        await using var board = await BoardProcess.StartAsync(data.Path);
        using var browser = Browser();

        var overview = await browser.GetAsync(new Uri(board.Url, "/board/api/overview"));
        await Assert.That(overview.StatusCode).IsEqualTo(HttpStatusCode.ServiceUnavailable);
        await Assert.That(JsonNode.Parse(await overview.Content.ReadAsStringAsync())!["error"]!.GetValue<string>())
            .Contains($"schema version {Migrations.Latest + 1}, newer than this build knows");
        var health = JsonNode.Parse(await browser.GetStringAsync(new Uri(board.Url, "/board/api/health")))!;
        await Assert.That(health["store"]!["ok"]!.GetValue<bool>()).IsFalse();
        await Assert.That(health["store"]!["problem"]!.GetValue<string>()).Contains("newer");
        await Assert.That((await browser.GetAsync(board.Url)).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(board.HasExited).IsFalse();
        // Read-only: the version the newer build wrote is untouched.
        using var check = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data.Path, "orchestrator.db")};Mode=ReadOnly;Pooling=False");
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        await Assert.That(Convert.ToInt32(version.ExecuteScalar())).IsEqualTo(Migrations.Latest + 1);
    }

    [Test]
    public async Task The_board_command_follows_a_stdio_server_and_its_events_announce_each_change()
    {
        using var data = new TempDirectory();
        await using var stdio = await McpStdioClient.StartInitializedAsync(data.Path);
        var session = (await stdio.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = Path.GetTempPath() }))
            .Structured()["session_id"]!.GetValue<string>();
        await using var board = await BoardProcess.StartAsync(data.Path);
        using var browser = Browser();
        using var events = await browser.GetAsync(new Uri(board.Url, "/board/api/events"), HttpCompletionOption.ResponseHeadersRead);
        await Assert.That(events.Content.Headers.ContentType!.MediaType).IsEqualTo("text/event-stream");
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        await Assert.That(await ReadEventAsync(reader)).IsEqualTo("hello");

        await stdio.CallToolAsync("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = session, ["title"] = "Seen by the board",
            ["subtasks"] = new JsonArray(new JsonObject { ["title"] = "only step", ["role"] = "implementer" }),
        });
        // Within a second of the commit (bounded here generously: a busy machine is not a failure of the board).
        await Assert.That(await ReadEventAsync(reader).WaitAsync(TimeSpan.FromSeconds(10))).IsEqualTo("change");
        var overview = JsonNode.Parse(await browser.GetStringAsync(new Uri(board.Url, "/board/api/overview")))!;
        await Assert.That(overview["columns"]!.AsArray().SelectMany(c => c!["tasks"]!.AsArray()).Single()!["title"]!.GetValue<string>())
            .IsEqualTo("Seen by the board");
        await Assert.That(await board.StopAsync()).IsEqualTo(0);
    }

    [Test]
    public async Task An_event_stream_ends_when_the_server_restarts_in_place_and_the_restart_completes()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path);
        using var client = new McpHttpClient(new Uri(server.Url, "/mcp"));
        await client.InitializeAsync();
        using var browser = Browser();
        using var events = await browser.GetAsync(new Uri(server.Url, "/board/api/events"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        await Assert.That(await ReadEventAsync(reader)).IsEqualTo("hello");

        var restart = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Structured();
        await Assert.That(restart["success"]!.GetValue<bool>()).IsTrue();
        // The old image ended the stream cleanly (end of body, no error), so the restart was not held up by it.
        await Assert.That(await ReadEventAsync(reader).WaitAsync(McpStdioClient.AnswerTimeout)).IsNull();
        var health = JsonNode.Parse(await browser.GetStringAsync(new Uri(server.Url, "/board/api/health")))!;
        await Assert.That(health["restarts"]!.AsArray().Single()!["success"]!.GetValue<bool>()).IsTrue();
    }

    /// <summary>The next event's name (comments skipped); null at the end of the stream.</summary>
    private static async Task<string?> ReadEventAsync(StreamReader reader)
    {
        string? name = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.Length == 0 && name is not null) return name;
        }
        return null;
    }
}
