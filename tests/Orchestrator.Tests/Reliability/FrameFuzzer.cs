using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// A deterministic (seeded) generator of bad input for the stdio transport: unreadable bytes, invalid UTF-8, nesting
/// past the parser's depth, broken JSON-RPC envelopes, unknown methods, malformed <c>tools/call</c> requests, and tool
/// arguments made invalid by construction from each tool's published input schema (wrong types, boundary and
/// out-of-range numbers, unknown members, missing required members, huge and deeply nested values, strings that are
/// valid JSON but not valid Unicode), plus notifications and stray responses that must get no answer. Every case
/// is invalid whatever else it carries, so none may change the store.
/// </summary>
internal sealed class FrameFuzzer(int seed, IReadOnlyList<(string Name, JsonObject InputSchema)> tools)
{
    /// <summary>Stands in for text that JSON writers refuse to produce; replaced in the serialized frame.</summary>
    private const string LoneSurrogate = "@@LONE-SURROGATE@@";
    private const string LoneSurrogateJson = "\\ud800x\\udfff";

    /// <summary>Stands in for a number beyond double's range, which no JsonNode can hold; replaced with its quotes.</summary>
    private const string HugeNumber = "@@HUGE-NUMBER@@";

    /// <summary>Stay under the reader's 16 MB frame limit, whose refusal carries no id.</summary>
    private const int MaxFrameBytes = 15 * 1024 * 1024;

    private static readonly string[] KnownMethods =
        ["ping", "tools/list", "tools/call", "initialize", "logging/setLevel", "completion/complete", "resources/list", "prompts/list"];

    private readonly Random _random = new(seed);
    private int _number;

    public IEnumerable<FuzzCase> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var next = Next();
            while (next.Frame.Length > MaxFrameBytes) next = Next();
            yield return next;
        }
    }

    private FuzzCase Next()
    {
        var number = ++_number;
        // Ids unlike the test client's own (small integers): strings, and integers near the 64-bit limit.
        var id = _random.Next(2) == 0 ? (JsonNode)$"fz-{number}" : (JsonNode)(long.MaxValue - number);
        var idKey = id.ToJsonString().Trim('"');
        var roll = _random.Next(100);
        return roll switch
        {
            < 8 => Unreadable(number),
            < 10 => TooDeep(number, id),
            < 17 => BrokenEnvelope(number, id, idKey),
            < 20 => BadId(number),
            < 26 => Request(number, "unknown-method", id, idKey, "fuzz/" + RandomWord(), RandomJson(3), FuzzExpectation.JsonRpcError),
            < 31 => BrokenToolCall(number, id, idKey),
            < 33 => BadSdkRequest(number, id, idKey),
            < 93 => BadArguments(number, id, idKey),
            _ => Silent(number),
        };
    }

    private FuzzCase Unreadable(int number)
    {
        byte[] bytes;
        string kind;
        switch (_random.Next(4))
        {
            case 0:
                kind = "random-bytes";
                bytes = new byte[_random.Next(1, 300)];
                _random.NextBytes(bytes);
                break;
            case 1:
                // Invalid UTF-8 (a broken sequence, bytes that never occur, an encoded surrogate, an overlong form) inside one
                // of the strings of an otherwise valid request: in its id, method, tool name, arguments, or a member ignored.
                kind = "invalid-utf8-in-string";
                var strings = new[] { $"fz-{number}", "ping", "orchestrator_query_tasks", "some text", "ignored" };
                var target = _random.Next(strings.Length);
                var pieces = strings.Select(s => Encoding.UTF8.GetBytes(s)).ToArray();
                var bad = Pick<byte[]>([0xC3, 0x28], [0xFF], [0xFE, 0xFE], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xE2, 0x82]);
                pieces[target] = [.. pieces[target][..1], .. bad, .. pieces[target][1..]];
                var method = target == 1 ? pieces[1] : _random.Next(2) == 0 ? "ping"u8.ToArray() : "tools/call"u8.ToArray();
                bytes = [.. "{\"jsonrpc\":\"2.0\",\"id\":\""u8, .. pieces[0], .. "\",\"method\":\""u8, .. method,
                    .. "\",\"params\":{\"name\":\""u8, .. pieces[2], .. "\",\"arguments\":{\"text\":\""u8, .. pieces[3],
                    .. "\"},\"x\":\""u8, .. pieces[4], .. "\"}}"u8];
                break;
            case 2:
                kind = "truncated-json";
                var whole = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":\"t-{number}\",\"method\":\"tools/call\",\"params\":{{\"name\":\"orchestrator_health_check\",\"arguments\":{{}}}}}}");
                bytes = whole[.._random.Next(1, whole.Length - 1)];
                break;
            default:
                kind = "not-json";
                bytes = Encoding.UTF8.GetBytes(_random.Next(3) switch { 0 => "hello", 1 => "{jsonrpc: 2.0}", _ => "{\"a\":1,}" });
                break;
        }
        for (var i = 0; i < bytes.Length; i++)
            if (bytes[i] == (byte)'\n') bytes[i] = (byte)'x'; // the newline is the frame delimiter
        if (bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r')) bytes[0] = (byte)'x'; // blank lines are skipped, not frames
        return new FuzzCase(number, kind, bytes, null, FuzzExpectation.ErrorWithoutId);
    }

    private FuzzCase TooDeep(int number, JsonNode id)
    {
        var depth = _random.Next(2) == 0 ? _random.Next(65, 200) : _random.Next(1_000, 100_000);
        var open = _random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var text = $"{{\"jsonrpc\":\"2.0\",\"id\":{id.ToJsonString()},\"method\":\"tools/call\",\"params\":{{\"name\":\"orchestrator_get_status\",\"arguments\":{{\"limit\":" +
                   string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)) + "}}}";
        return new FuzzCase(number, "nesting-too-deep", Encoding.UTF8.GetBytes(text), null, FuzzExpectation.ErrorWithoutId);
    }

    private FuzzCase BrokenEnvelope(int number, JsonNode id, string idKey)
    {
        var message = new JsonObject { ["id"] = id.DeepClone() };
        string kind;
        switch (_random.Next(5))
        {
            case 0: kind = "jsonrpc-missing"; message["method"] = "ping"; break;
            case 1: kind = "jsonrpc-wrong"; message["jsonrpc"] = Pick<JsonNode>("1.0", "2", 2.0, 2, true, new JsonArray("2.0")); message["method"] = "ping"; break;
            case 2: kind = "method-not-a-string"; message["jsonrpc"] = "2.0"; message["method"] = Pick<JsonNode>(1, true, new JsonObject(), new JsonArray("ping")); break;
            case 3: kind = "method-not-unicode"; message["jsonrpc"] = "2.0"; message["method"] = "tools/" + LoneSurrogate; break;
            default: kind = "neither-request-nor-response"; message["jsonrpc"] = "2.0"; message["params"] = RandomJson(2); break;
        }
        return new FuzzCase(number, kind, Serialize(message), idKey, FuzzExpectation.JsonRpcError);
    }

    private FuzzCase BadId(int number)
    {
        var message = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Pick<JsonNode>(1.5, -0.25, 1e300, true, new JsonObject { ["n"] = number }, new JsonArray(number), "id-" + LoneSurrogate),
            ["method"] = Pick("ping", "tools/list", "tools/call"),
        };
        return new FuzzCase(number, "id-not-string-or-integer", Serialize(message), null, FuzzExpectation.ErrorWithoutId);
    }

    private FuzzCase BrokenToolCall(int number, JsonNode id, string idKey)
    {
        JsonNode? parameters;
        string kind;
        switch (_random.Next(4))
        {
            case 0: kind = "call-params-not-object"; parameters = Pick<JsonNode>(5, "orchestrator_health_check", new JsonArray("orchestrator_health_check"), false); break;
            case 1: kind = "call-name-missing"; parameters = new JsonObject { ["arguments"] = new JsonObject() }; break;
            case 2: kind = "call-name-not-string"; parameters = new JsonObject { ["name"] = Pick<JsonNode>(1, true, new JsonArray(), new JsonObject()), ["arguments"] = new JsonObject() }; break;
            default: kind = "call-unknown-tool"; parameters = new JsonObject { ["name"] = Pick("orchestrator_" + RandomWord(), "", " orchestrator_health_check", "ORCHESTRATOR_HEALTH_CHECK", "orchestrator_" + LoneSurrogate), ["arguments"] = new JsonObject() }; break;
        }
        return Request(number, kind, id, idKey, "tools/call", parameters, FuzzExpectation.JsonRpcError);
    }

    /// <summary>
    /// A request the SDK's server object serves, with parameters it must refuse: an initialize without usable client
    /// info, which must not replace the session the client negotiated. (logging/setLevel is left out: the SDK accepts
    /// levels outside the MCP list, and the server then ignores them.)
    /// </summary>
    private FuzzCase BadSdkRequest(int number, JsonNode id, string idKey)
    {
        {
            var parameters = Pick<JsonNode>(5, new JsonArray(), new JsonObject(), new JsonObject
            {
                ["protocolVersion"] = RandomJson(1),
                ["capabilities"] = RandomJson(2),
                ["clientInfo"] = Pick<JsonNode>(5, "fuzz-client", new JsonArray(), true),
            });
            return Request(number, "initialize-bad-params", id, idKey, "initialize", parameters, FuzzExpectation.JsonRpcError, sdkRefuses: true);
        }
    }

    private FuzzCase BadArguments(int number, JsonNode id, string idKey)
    {
        var (name, schema) = tools[_random.Next(tools.Count)];
        var properties = schema["properties"]!.AsObject();
        var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? [];
        JsonNode arguments;
        string kind;
        var mode = _random.Next(6);
        if (mode == 0)
        {
            kind = "arguments-not-object";
            arguments = Pick<JsonNode>(new JsonArray(), new JsonArray(new JsonObject()), 0, "{}", true, RandomString());
        }
        else
        {
            var members = RandomMembers(properties);
            switch (mode)
            {
                case 1:
                    kind = "unknown-member";
                    members["fuzz_" + RandomWord()] = RandomJson(4);
                    break;
                case 2 when required.Count > 0:
                    kind = "required-missing";
                    members.Remove(required[_random.Next(required.Count)]);
                    break;
                case 5:
                    kind = "name-not-unicode";
                    members["task_" + LoneSurrogate] = 1;
                    break;
                default:
                    var field = properties.ElementAt(_random.Next(properties.Count));
                    kind = "wrong-value:" + field.Key;
                    members[field.Key] = InvalidValueFor(field.Value!.AsObject());
                    break;
            }
            arguments = members;
        }
        var parameters = new JsonObject { ["name"] = name, ["arguments"] = arguments };
        return Request(number, kind + "@" + name, id, idKey, "tools/call", parameters, FuzzExpectation.InvalidParameters);
    }

    /// <summary>Some of the tool's members with arbitrary values (valid or not: the case is made invalid elsewhere).</summary>
    private JsonObject RandomMembers(JsonObject properties)
    {
        var members = new JsonObject();
        foreach (var (key, _) in properties)
            if (_random.Next(3) == 0) members[key] = RandomJson(3);
        return members;
    }

    /// <summary>A value the schema refuses: wrong type, outside the range, not a member, not valid Unicode. Never null (null means absent).</summary>
    private JsonNode InvalidValueFor(JsonObject property)
    {
        var type = property["type"]!.GetValue<string>();
        if (property["enum"] is JsonArray members)
            return Pick<JsonNode>("not-a-member", members[0]!.GetValue<string>().ToUpperInvariant(), " " + members[0]!.GetValue<string>(), "", 1, LoneSurrogate, HugeString());
        switch (type)
        {
            case "integer":
                var minimum = property["minimum"]?.GetValue<double>();
                var maximum = property["maximum"]?.GetValue<double>();
                var candidates = new List<JsonNode> { 1.5, "10", true, new JsonArray(1), HugeNumber, 9223372036854775808m, -9223372036854775809m, 2147483648L };
                if (minimum is { } min) candidates.AddRange([(JsonNode)(min - 1), (JsonNode)long.MinValue, (JsonNode)(min - 0.5)]);
                if (maximum is { } max) candidates.AddRange([(JsonNode)(max + 1), (JsonNode)long.MaxValue]);
                return candidates[_random.Next(candidates.Count)];
            case "boolean":
                return Pick<JsonNode>("true", 1, 0, new JsonObject(), "false");
            case "array":
                return Pick<JsonNode>(new JsonObject(), "a", 3, new JsonArray(1, 2), new JsonArray(new JsonArray()));
            default: // string
                return Pick<JsonNode>(7, -0.0, true, false, new JsonArray("x"), new JsonObject { ["x"] = "y" }, Nested(_random.Next(2, 50)), LoneSurrogate, "a" + LoneSurrogate + "b");
        }
    }

    private FuzzCase Silent(int number)
    {
        JsonObject message;
        string kind;
        switch (_random.Next(4))
        {
            case 0: kind = "unknown-notification"; message = new() { ["jsonrpc"] = "2.0", ["method"] = "notifications/fuzz-" + RandomWord(), ["params"] = RandomJson(3) }; break;
            case 1: kind = "cancel-unknown-request"; message = new() { ["jsonrpc"] = "2.0", ["method"] = "notifications/cancelled", ["params"] = new JsonObject { ["requestId"] = Pick<JsonNode>("never-sent", -1, LoneSurrogate, new JsonObject()) } }; break;
            case 2: kind = "tool-call-as-notification"; message = new() { ["jsonrpc"] = "2.0", ["method"] = "tools/call", ["params"] = new JsonObject { ["name"] = "orchestrator_plan_task", ["arguments"] = new JsonObject { ["fuzz"] = 1 } } }; break;
            default: kind = "stray-response"; message = new() { ["jsonrpc"] = "2.0", ["id"] = $"nobody-asked-{number}", [Pick("result", "error")] = RandomJson(2) ?? new JsonObject() }; break;
        }
        return new FuzzCase(number, kind, Serialize(message), null, FuzzExpectation.Nothing);
    }

    private FuzzCase Request(int number, string kind, JsonNode id, string idKey, string method, JsonNode? parameters, FuzzExpectation expect,
        bool sdkRefuses = false)
    {
        if (KnownMethods.Contains(method) && method != "tools/call" && !sdkRefuses) throw new InvalidOperationException("a fuzzed request must not be a valid call");
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["method"] = method };
        if (parameters is not null) message["params"] = parameters;
        return new FuzzCase(number, kind, Serialize(message), idKey, expect);
    }

    /// <summary>Random JSON: boundary numbers, odd strings (escapes, control characters, non-BMP, huge), nesting.</summary>
    private JsonNode? RandomJson(int depth)
    {
        switch (_random.Next(depth <= 0 ? 6 : 9))
        {
            case 0: return null;
            case 1: return _random.Next(2) == 0;
            case 2: return Pick<JsonNode>(0, -1, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, 1e308, -1e-308, 0.1, 4.9e-324, 18446744073709551615m);
            case 3: return RandomString();
            case 4: return _random.Next(400) == 0 ? HugeString() : RandomWord();
            case 5: return _random.Next(20) == 0 ? Nested(_random.Next(10, 55)) : new JsonObject();
            case 6:
                var array = new JsonArray();
                for (var i = _random.Next(5); i > 0; i--) array.Add(RandomJson(depth - 1));
                return array;
            default:
                var obj = new JsonObject();
                for (var i = _random.Next(5); i > 0; i--) obj["k" + RandomWord()] = RandomJson(depth - 1);
                return obj;
        }
    }

    /// <summary>Valid nesting well within the parser's limit of 64 levels (the frame adds four of its own).</summary>
    private static JsonNode Nested(int depth)
    {
        JsonNode node = "core";
        for (var i = 0; i < depth; i++) node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["n"] = node };
        return node;
    }

    private string RandomString() => Pick(
        "", " ", "\u0000\u0001\u001f", "\"quoted\" \\ backslash", "emoji \ud83d\ude80 and CJK 漢字", "\u202e right-to-left", "line\nbreak\ttab",
        "' OR 1=1; DROP TABLE tasks; --", "%s%n%x", "../../../../etc/passwd", new string('é', 300), "\ufeffbom", LoneSurrogate);

    /// <summary>Between 64 KB and 2 MB: larger than the reader's 64 KB chunk, far below its 16 MB frame limit.</summary>
    private string HugeString() => new('h', _random.Next(64 * 1024, 2 * 1024 * 1024));

    private string RandomWord()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_";
        var chars = new char[_random.Next(1, 16)];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[_random.Next(alphabet.Length)];
        return new string(chars);
    }

    private T Pick<T>(params T[] choices) => choices[_random.Next(choices.Length)];

    private static byte[] Serialize(JsonObject message) =>
        Encoding.UTF8.GetBytes(message.ToJsonString()
            .Replace(LoneSurrogate, LoneSurrogateJson, StringComparison.Ordinal)
            .Replace($"\"{HugeNumber}\"", "1e400", StringComparison.Ordinal));
}
