using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Orchestrator.Generators;

/// <summary>
/// Generates, for every <c>[McpTool]</c> partial record, its schemas, argument parser, its result's JSON writer
/// and the tool's registration (<c>GeneratedTools</c>, <c>IToolHandlerSource</c>). Three stages, as in the
/// System.Text.Json generator: <see cref="Parser"/> turns each root's symbols into equatable models,
/// <see cref="ToolSetBuilder"/> checks them together and builds one <see cref="GenerationSpec"/>, and
/// <see cref="Emitter"/> turns the spec into source text. Only the last step touches the compiler's output.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ToolGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var tools = context.SyntaxProvider.ForAttributeWithMetadataName(
                Parser.ToolAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                Parser.ParseTool)
            .WithTrackingName(TrackingNames.ToolRoots);
        var models = context.SyntaxProvider.ForAttributeWithMetadataName(
                Parser.ModelAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                Parser.ParseModel)
            .WithTrackingName(TrackingNames.ModelRoots);
        var spec = tools.Collect().Combine(models.Collect())
            .Select(static (roots, cancellationToken) => ToolSetBuilder.Build(roots.Left, roots.Right, cancellationToken))
            .WithTrackingName(TrackingNames.Spec);
        context.RegisterSourceOutput(spec, static (context, spec) =>
        {
            foreach (var diagnostic in spec.Diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic());
            foreach (var source in Emitter.Emit(spec, context.CancellationToken))
                context.AddSource(source.HintName, SourceText.From(source.Text, Encoding.UTF8));
        });
    }
}
