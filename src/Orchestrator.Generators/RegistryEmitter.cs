using System.Collections.Generic;
using static Orchestrator.Generators.GeneratedNames;

namespace Orchestrator.Generators;

/// <summary>
/// Emits the tool list of the assembly: <c>IToolHandlerSource</c> (one handler property per tool, named after its
/// argument record) and <c>GeneratedTools</c> (<c>All</c>, and <c>CreateEndpoints</c> pairing each tool's parser
/// with its handler). Tools arrive sorted by name, so the list's order does not depend on declaration order.
/// </summary>
internal static class RegistryEmitter
{
    public static string Emit(IReadOnlyList<ToolModel> tools)
    {
        var w = new CodeWriter();
        w.Raw(FileHeader);
        w.Open("namespace Orchestrator.Tooling");
        w.Line("/// <summary>Supplies the handler of every generated tool; one property per tool, named after its argument record.</summary>");
        w.Open("internal interface IToolHandlerSource");
        foreach (var tool in tools)
            w.Line($"global::Orchestrator.Tooling.IToolHandler<{tool.ArgsFullName}, {tool.ResultFullName}> {tool.HandlerName} {{ get; }}");
        w.Close();
        w.Line();
        w.Line("/// <summary>Every [McpTool] of the assembly, without reflection.</summary>");
        w.Open("internal static class GeneratedTools");
        w.Open("public static global::System.Collections.Generic.IReadOnlyList<global::Orchestrator.Tooling.ToolInfo> All { get; } = new global::Orchestrator.Tooling.ToolInfo[]");
        foreach (var tool in tools)
            w.Line($"new({tool.ArgsFullName}.ToolName, {tool.ArgsFullName}.ToolDescription, {tool.ArgsFullName}.ToolGroup, {tool.ArgsFullName}.InputSchemaUtf8.ToArray(), {tool.ArgsFullName}.OutputSchemaUtf8.ToArray(), new global::Orchestrator.Tooling.ToolRules(PerMinute: {tool.PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)}, AllowedDuringMaintenance: {(tool.AllowedDuringMaintenance ? "true" : "false")}, Idempotent: {(tool.Idempotent ? "true" : "false")})),");
        w.Indent--;
        w.Line("};");
        w.Line();
        w.Line("/// <summary>Creates the endpoints (parse + handler) of the tools whose group <paramref name=\"includeGroup\"/> accepts (all when null); handlers of excluded tools are not touched.</summary>");
        w.Open("public static global::System.Collections.Generic.IReadOnlyList<global::Orchestrator.Tooling.ToolEndpoint> CreateEndpoints(IToolHandlerSource handlers, global::System.Func<string, bool>? includeGroup = null)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(handlers);");
        w.Line("var endpoints = new global::System.Collections.Generic.List<global::Orchestrator.Tooling.ToolEndpoint>();");
        // All lists the tools in this same order, so All[i] is the ToolInfo of the i-th tool.
        for (var i = 0; i < tools.Count; i++)
        {
            var tool = tools[i];
            w.Line($"if (includeGroup is null || includeGroup({tool.ArgsFullName}.ToolGroup)) endpoints.Add(new global::Orchestrator.Tooling.ToolEndpoint<{tool.ArgsFullName}, {tool.ResultFullName}>(All[{i}], {tool.ArgsFullName}.TryParse, handlers.{tool.HandlerName}));");
        }
        w.Line("return endpoints;");
        w.Close();
        w.Close();
        w.Close();
        return w.ToString();
    }
}
