using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Orchestrator.Reboot;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Tooling;
using Orchestrator.Transport;

namespace Orchestrator.Hosting;

/// <summary>
/// Starts one process image: resume from a restart snapshot if this image was exec'd by a restart, open the
/// store, answer a pending restart call, then serve MCP over stdio until the client closes the pipe.
/// </summary>
internal static class ServerHost
{
    private const string Instructions =
        "Orchestrator keeps task orchestration state durable and can restart itself in place " +
        "(orchestrator_restart_server) without the client reconnecting: the restart call is answered by the new process image.";

    public static async Task<int> RunAsync(ServerOptions options)
    {
        using var logging = new LoggingHost(options); 
        var hooks = TestHooks.FromEnvironment();
        var (snapshot, corruption) = LoadSnapshot(options); 
        if (options.ResumeSnapshot is not null) hooks.PauseAt("resuming");
        var session = snapshot?.Session is { } saved ? Restore(saved) : ClientSession.New();

        using var runtime = new ServerRuntime(options, logging, hooks, session, snapshot?.ReplayBytes ?? []);
        if (snapshot is not null) runtime.RateLimiter.Import(snapshot.RateLimits);
        if (options.Http is not null)
        {
            try
            {
                runtime.UseHttp(Http.HttpServing.Start(options, runtime.Clock, snapshot?.HttpSessions ?? []));
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                runtime.Logger.LogCritical("Cannot listen on {EndPoint}: {Message}", options.Http.EndPoint, ex.Message);
                await Console.Error.WriteLineAsync($"orchestrator: cannot listen on {options.Http.EndPoint}: {ex.Message}");
                return 1;
            }
        }
        // The store opens on another core while the pending restart call is answered: that answer is what the client waits for.
        var store = new Thread(runtime.OpenStore) { Name = "open-store" };
        store.Start();
        // Over HTTP the web host is built and started on its own thread while the restart call is answered and the
        // store opens: it is the longest step (dependency injection, Kestrel, the SDK's endpoint). Requests that reach
        // it before the store is open wait for it at the gate.
        Microsoft.AspNetCore.Builder.WebApplication? web = null;
        var webStart = runtime.Http is { } starting
            ? new Thread(() => web = Http.HttpServerHost.Start(runtime, starting, BuildServerOptions(runtime, ClientSession.New()))) { Name = "start-http-host" }
            : null;
        webStart?.Start();
        RestartCompletion.AnswerWriter answer = runtime.Http is { } http ? http.AnswerPending : runtime.Transport.Output.WriteFrame;
        var completion = options.ResumeSnapshot is null ? null : RestartCompletion.Answer(runtime, snapshot, corruption, options.ResumeRequestId, answer);
        store.Join(); 
        if (completion is not null)
        {
            completion.Record(runtime);
        }
        else
        {
            // A restart left open by a process that no longer exists died mid-way (killed, crashed, power lost); its
            // snapshot, if any, will never be read. Restarts of live processes (sharing this data directory) are theirs.
            runtime.History?.FailUnfinished("PROCESS_FAILED", "restart interrupted: the process ended before a new image took over",
                runtime.Clock.GetUtcNow().ToUnixTimeMilliseconds(), pid => !IsAnotherLiveProcess(pid));
            RemoveOrphanedSnapshots(options.SnapshotDirectory);
        }

        if (runtime.Http is { } serving)
        {
            serving.StoreReady();
            webStart!.Join();
            return await Http.HttpServerHost.ServeAsync(runtime, web).ConfigureAwait(false);
        }

        // Serving starts without the SDK's server object: the fast path answers tools and pings. The object (a few ms of
        // CPU) is built when the first message only the SDK handles arrives (initialize, logging, …), which after an
        // in-place restart is usually never; that message waits in the transport's channel meanwhile.
        runtime.Transport.Start();
        await runtime.Transport.SdkNeeded.ConfigureAwait(false);
        await using var server = McpServer.Create(runtime.Transport, BuildServerOptions(runtime, session), logging);
        
        await server.RunAsync().ConfigureAwait(false);
        runtime.Logger.LogInformation("Client closed the connection; exiting");
        runtime.Database?.Checkpoint();
        return 0;
    }

    private static (RestartSnapshot? Snapshot, string? Corruption) LoadSnapshot(ServerOptions options)
    {
        if (options.ResumeSnapshot is not { } path) return (null, null);
        try
        {
            return (SnapshotReader.Read(path, SnapshotFormat.DataDirectoryId(options.DataDirectory)), null);
        }
        catch (SnapshotCorruptException ex)
        {
            return (null, ex.Message);
        }
        finally
        {
            // Consumed or rejected, a snapshot is never applied twice.
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>At a cold start, a record of this very pid is a dead predecessor's (pids are reused), never ours.</summary>
    private static bool IsAnotherLiveProcess(int pid) => pid != Environment.ProcessId && Directory.Exists($"/proc/{pid}");

    /// <summary>Deletes snapshots (and half-written ones) left by processes that are gone: <c>restart-&lt;pid&gt;.snap[.tmp]</c>.</summary>
    private static void RemoveOrphanedSnapshots(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var file in Directory.EnumerateFiles(directory, "restart-*.snap*"))
        {
            var name = Path.GetFileName(file);
            var digits = name["restart-".Length..].Split('.')[0];
            if (!int.TryParse(digits, out var pid) || IsAnotherLiveProcess(pid)) continue;
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static ClientSession Restore(SessionSnapshot saved) =>
        new(saved.Id, DateTimeOffset.FromUnixTimeMilliseconds(saved.CreatedUnixMs))
        {
            ProtocolVersion = saved.ProtocolVersion,
            ClientInfoJson = saved.ClientInfoJson,
            CapabilitiesJson = saved.CapabilitiesJson,
            Initialized = saved.Initialized,
            RestartsSurvived = saved.RestartsSurvived + 1,
            LoggingLevel = saved.LoggingLevel,
        };

    public static McpServerOptions BuildServerOptions(ServerRuntime runtime, ClientSession session)
    {
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = ServerInfo.Name, Version = ServerInfo.Version },
            ServerInstructions = Instructions,
            ToolCollection = [],
        };
        foreach (var tool in runtime.Endpoints.Select(endpoint => new EndpointServerTool(endpoint)))
            options.ToolCollection.Add(tool);
        if (session.ProtocolVersion is not null && session.RestartsSurvived > 0)
        {
            // Session migration: this image never saw the client's initialize, the previous one did.
            options.ProtocolVersion = session.ProtocolVersion;
            if (session.ClientInfoJson is { } info)
                options.KnownClientInfo = JsonSerializer.Deserialize(info, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Implementation>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Implementation)));
            if (session.CapabilitiesJson is { } capabilities)
                options.KnownClientCapabilities = JsonSerializer.Deserialize(capabilities, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ClientCapabilities>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ClientCapabilities)));
        }
        return options;
    }
}
