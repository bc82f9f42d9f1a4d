using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Tooling;
using Orchestrator.Transport;

namespace Orchestrator.Hosting;

/// <summary>
/// The MCP SDK's server options: who this server is, its tools through the one adapter (<see cref="SdkTool"/>), and its
/// resources, prompts and completions through the table both transports share (<see cref="McpSurface"/>).
/// </summary>
internal static class SdkServerOptions
{
    private const string Instructions =
        "Orchestrator keeps task orchestration state durable and can restart itself in place " +
        "(orchestrator_restart_server) without the client reconnecting: the restart call is answered by the new process image.";

    /// <param name="restartGeneration">In-place restarts of this process so far (<see cref="ServerInfo.Description"/>).</param>
    /// <param name="continued">The stdio client's session when it was carried across a restart: the SDK continues it without a new initialize.</param>
    /// <param name="subscriptions">The transport's resource subscriptions (stdio: its client's; HTTP: per session).</param>
    public static McpServerOptions Create(ToolTable tools, Func<IToolCaller> caller, McpSurface surface, int restartGeneration,
        IResourceSubscriptions subscriptions, ClientSession? continued = null)
    {
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = ServerInfo.Name, Version = ServerInfo.Version, Description = ServerInfo.Description(restartGeneration) },
            ServerInstructions = Instructions,
            ToolCollection = [.. SdkTool.For(tools, caller)],
            // Over HTTP, updates and list changes travel on the session's standalone GET stream (Http/SessionEventStreams).
            Capabilities = new ServerCapabilities
            {
                // list_changed is sent after a restart into a binary serving other prompts or resource templates
                // (ServedSurface); not for each task stored, which resources/list pages through.
                Resources = new ResourcesCapability { Subscribe = true, ListChanged = true },
                Prompts = new PromptsCapability { ListChanged = true },
                Completions = new CompletionsCapability(),
            },
            Handlers = new McpServerHandlers
            {
                // The tools themselves come from the ToolCollection, which the SDK appends to this handler's (empty) page:
                // the handler only contributes the caching hints (over stdio the fast path answers tools/list with the same).
                ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult
                {
                    TimeToLive = TimeSpan.FromMilliseconds(CacheHints.FixedPerBinaryTtlMs),
                    CacheScope = CacheScope.Public,
                }),
                ListResourcesHandler = (request, cancellation) => Surface<ListResourcesRequestParams, ListResourcesResult>(surface, request, cancellation),
                ListResourceTemplatesHandler = (request, cancellation) =>
                    Surface<ListResourceTemplatesRequestParams, ListResourceTemplatesResult>(surface, request, cancellation),
                ReadResourceHandler = (request, cancellation) => Surface<ReadResourceRequestParams, ReadResourceResult>(surface, request, cancellation),
                ListPromptsHandler = (request, cancellation) => Surface<ListPromptsRequestParams, ListPromptsResult>(surface, request, cancellation),
                GetPromptHandler = (request, cancellation) => Surface<GetPromptRequestParams, GetPromptResult>(surface, request, cancellation),
                CompleteHandler = (request, cancellation) => Surface<CompleteRequestParams, CompleteResult>(surface, request, cancellation),
            },
        };
        // Over stdio the fast path serves these before the SDK sees them; the SDK needs handlers to accept the capability.
        options.Handlers.SubscribeToResourcesHandler = async (request, _) =>
            Answer<EmptyResult>(await subscriptions.SubscribeAsync(request.Server.SessionId, ParamsOf(request)).ConfigureAwait(false));
        options.Handlers.UnsubscribeFromResourcesHandler = (request, _) =>
            ValueTask.FromResult(Answer<EmptyResult>(subscriptions.Unsubscribe(request.Server.SessionId, ParamsOf(request))));
        if (continued is { ProtocolVersion: not null, RestartsSurvived: > 0 })
        {
            // Session migration: this image never saw the client's initialize, the previous one did.
            options.ProtocolVersion = continued.ProtocolVersion;
            if (continued.ClientInfoJson is { } info) options.KnownClientInfo = JsonSerializer.Deserialize(info, TypeInfo<Implementation>());
            if (continued.CapabilitiesJson is { } capabilities) options.KnownClientCapabilities = JsonSerializer.Deserialize(capabilities, TypeInfo<ClientCapabilities>());
        }
        return options;
    }

    /// <summary>
    /// One SDK handler over the shared table: the request's own params in, the table's JSON out as the SDK's result type
    /// (so both transports answer the same bytes' worth); an error becomes the same JSON-RPC error, the URI in its data.
    /// </summary>
    private static async ValueTask<TResult> Surface<TParams, TResult>(RequestContext<TParams> request, McpSurface surface, CancellationToken cancellation)
    {
        var answer = await surface.HandleAsync(request.JsonRpcRequest.Method, ParamsOf(request), cancellation).ConfigureAwait(false);
        return Answer<TResult>(answer);
    }

    private static JsonElement? ParamsOf<TParams>(RequestContext<TParams> request)
    {
        if (request.JsonRpcRequest.Params is not { } node) return null;
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    private static TResult Answer<TResult>(McpAnswer answer)
    {
        if (answer.Result is not { } result)
        {
            var error = new McpProtocolException(answer.Message!, (McpErrorCode)answer.Code);
            if (answer.Uri is { } uri) error.Data["uri"] = uri;
            throw error;
        }
        return JsonSerializer.Deserialize(result, TypeInfo<TResult>())!;
    }

    private static ValueTask<TResult> Surface<TParams, TResult>(McpSurface surface, RequestContext<TParams> request, CancellationToken cancellation) =>
        Surface<TParams, TResult>(request, surface, cancellation);

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(T));
}
