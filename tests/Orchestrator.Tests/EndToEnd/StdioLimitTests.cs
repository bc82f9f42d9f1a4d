using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// What one stdio client can make the server hold, over the published binary's real pipes: a client that pipelines
/// calls without reading its answers is no longer read (the answers owed are bounded); a line over the size limit is
/// answered, with its id, and the server goes on.
/// </summary>
public sealed class StdioLimitTests
{
    [Test]
    public async Task A_client_that_does_not_read_its_answers_stops_being_read_and_then_gets_every_answer_once()
    {
        const int Calls = 20_000; // about 3 MB of requests: far more than the pipes and the bound can hold
        using var data = new TempDirectory();
        // Set through its environment variable (the flag is --max-pending-answers).
        var info = McpStdioClient.ServerStartInfo(PublishedBinary.Path, ["--data-dir", data.Path],
            new Dictionary<string, string> { ["ORCHESTRATOR_MAX_PENDING_ANSWERS"] = "16" });
        using var server = Process.Start(info)!;
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringBuilder();
        server.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
            if (e.Data.Contains("Not reading stdin", StringComparison.Ordinal)) paused.TrySetResult();
        };
        server.BeginErrorReadLine();
        var stdin = server.StandardInput.BaseStream;

        // The client writes every call and reads nothing.
        var writer = Task.Run(() =>
        {
            for (var id = 1; id <= Calls; id++)
            {
                var call = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"orchestrator_restart_status\",\"arguments\":{}}}\n";
                stdin.Write(Encoding.UTF8.GetBytes(call));
            }
            stdin.Flush();
        });
        var first = await Task.WhenAny(paused.Task, writer).WaitAsync(McpStdioClient.AnswerTimeout);
        await Assert.That(first == paused.Task).IsTrue().Because("the server must stop reading, not take every request in while no answer is read");
        // Every byte it has not read stays in the pipe: the writer is held back by the full pipe, its calls are not lost.
        await Assert.That(writer.IsCompleted).IsFalse();

        // Now the client reads: every call is answered, exactly once, and the writer gets through.
        var answered = new int[Calls + 1];
        var received = 0;
        while (received < Calls)
        {
            var line = await server.StandardOutput.ReadLineAsync().WaitAsync(McpStdioClient.AnswerTimeout)
                ?? throw new InvalidOperationException("stdout ended; stderr: " + stderr);
            var answer = JsonNode.Parse(line)!.AsObject();
            await Assert.That(answer["result"]).IsNotNull().Because(line);
            answered[answer["id"]!.GetValue<int>()]++;
            received++;
        }
        await writer.WaitAsync(McpStdioClient.AnswerTimeout);
        await Assert.That(answered.Skip(1).All(count => count == 1)).IsTrue();
        await Assert.That(server.HasExited).IsFalse();

        stdin.Close();
        await server.WaitForExitAsync().WaitAsync(McpStdioClient.AnswerTimeout);
        await Assert.That(server.ExitCode).IsEqualTo(0);
    }

    [Test]
    public async Task A_client_that_goes_away_while_answers_are_owed_lets_the_server_exit()
    {
        using var data = new TempDirectory();
        var info = McpStdioClient.ServerStartInfo(PublishedBinary.Path, ["--data-dir", data.Path, "--max-pending-answers", "4"], null);
        using var server = Process.Start(info)!;
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("Not reading stdin", StringComparison.Ordinal) == true) paused.TrySetResult(); };
        server.BeginErrorReadLine();
        // A few calls (they fit in the pipe), none of whose answers is read: the server stops at its limit.
        var calls = string.Concat(Enumerable.Range(1, 200).Select(id =>
            "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"orchestrator_restart_status\",\"arguments\":{}}}\n"));
        server.StandardInput.BaseStream.Write(Encoding.UTF8.GetBytes(calls));
        server.StandardInput.BaseStream.Flush();
        await paused.Task.WaitAsync(McpStdioClient.AnswerTimeout);

        // The client goes away: its end of both pipes closes. Answers can no longer be written; they must not stay
        // owed for good, or the server would wait for room forever instead of reading the end of its input.
        server.StandardOutput.Close();
        server.StandardInput.Close();
        await server.WaitForExitAsync().WaitAsync(McpStdioClient.AnswerTimeout);
        await Assert.That(server.HasExited).IsTrue();
    }

    [Test]
    public async Task A_line_over_the_limit_is_answered_with_its_id_logged_and_skipped()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var answer = client.ExpectAnswer("7");
        // Over the default 16 MiB: the id comes first, as clients write it, the large part after.
        var head = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"orchestrator_health_check","arguments":{"x":" """;
        client.WriteRaw(head);
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, (byte)'a');
        for (var i = 0; i < 17; i++) client.WriteRaw(chunk);
        client.WriteRaw("\"}}}\n");

        var error = (await answer)["error"]!;
        await Assert.That(error["code"]!.GetValue<int>()).IsEqualTo(-32600);
        await Assert.That(error["message"]!.GetValue<string>()).Contains("16777216-byte line limit").And.Contains("--max-line-bytes");
        await client.WaitForStderrAsync("Skipped a line of more than 16777216 bytes");
        // The server goes on: the next request is served.
        await Assert.That((await client.CallToolAsync("orchestrator_health_check")).Structured()["healthy"]!.GetValue<bool>()).IsTrue();
    }

    [Test]
    public async Task The_line_limit_is_configurable()
    {
        using var data = new TempDirectory();
        await using var client = McpStdioClient.Start(data.Path, extraArgs: ["--max-line-bytes", "4096"]);
        await client.InitializeAsync();
        var padding = new string(' ', 3000);
        var fits = await client.SendAsync("ping", new JsonObject { ["pad"] = padding });
        await Assert.That(fits["result"]).IsNotNull();

        var tooLong = client.ExpectAnswer("long-one");
        client.WriteRaw(new JsonObject
        {
            ["jsonrpc"] = "2.0", ["id"] = "long-one", ["method"] = "ping", ["params"] = new JsonObject { ["pad"] = new string('b', 5000) },
        }.ToJsonString() + "\n");
        await Assert.That((await tooLong)["error"]!["message"]!.GetValue<string>()).Contains("4096-byte line limit");
        await Assert.That((await client.SendAsync("ping"))["result"]).IsNotNull();
    }
}
