using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Orchestrator.Generators;

/// <summary>
/// Generates, for every <c>[McpTool]</c> partial record, its schemas, argument parser, its result's JSON writer
/// and the tool's registration (<c>GeneratedTools</c>, <c>IToolHandlerSource</c>, <c>GeneratedJsonResolver</c>).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ToolGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var tools = context.SyntaxProvider.ForAttributeWithMetadataName(
            Parser.ToolAttributeName,
            static (node, _) => node is TypeDeclarationSyntax,
            Parser.ParseTool);
        var models = context.SyntaxProvider.ForAttributeWithMetadataName(
            Parser.ModelAttributeName,
            static (node, _) => node is TypeDeclarationSyntax,
            Parser.ParseModel);
        context.RegisterSourceOutput(tools.Collect().Combine(models.Collect()),
            static (spc, pair) => Emitter.Emit(spc, pair.Left, pair.Right));
    }
}
