using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Orchestrator.Tests.Architecture;

/// <summary>
/// Checks the references of source trees against a <see cref="LayerTable"/>: code in a top-level namespace of
/// Orchestrator may use its own namespace and those of lower layers only. Works on any compilation, so it can be
/// proven on small in-memory sources as well as run on the server's.
/// </summary>
internal sealed class LayeringChecker(LayerTable layers)
{
    private const string RootPrefix = LayerTable.RootNamespace + ".";

    private static readonly SymbolDisplayFormat TypeName = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    /// <summary>What one file uses: a type, or a namespace (a using directive, a namespace-qualified name).</summary>
    private sealed record Use(int Line, string Target, string TargetNamespace, bool IsNamespace, string Message);

    /// <summary>
    /// Checks <paramref name="sources"/>, trees of <paramref name="compilation"/> (generated trees are left out by the
    /// caller; uses of generated types still count). One violation per file and target, at the target's first use. A
    /// using directive of a forbidden namespace is reported only when the file uses no type of that namespace, which
    /// is reported instead.
    /// </summary>
    public LayeringReport Check(Compilation compilation, IEnumerable<SyntaxTree> sources)
    {
        var names = NamesOf(compilation);
        // Semantic models are thread-safe and each tree gets its own: the trees are checked in parallel.
        var results = sources.AsParallel().Select(tree => CheckTree(compilation, names, tree)).ToList();
        return new LayeringReport(
            results.SelectMany(r => r.Violations)
                .OrderBy(v => v.File, StringComparer.Ordinal).ThenBy(v => v.Line).ThenBy(v => v.Message, StringComparer.Ordinal)
                .ToList(),
            results.SelectMany(r => r.Unresolved).Order(StringComparer.Ordinal).ToList());
    }

    private LayeringReport CheckTree(Compilation compilation, IReadOnlySet<string> names, SyntaxTree tree)
    {
        var file = tree.FilePath;
        var root = (CompilationUnitSyntax)tree.GetRoot();
        var declarations = root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<BaseNamespaceDeclarationSyntax>().ToList();
        var violations = new List<LayerViolation>();

        foreach (var declaration in declarations)
        {
            var name = FullName(declaration);
            if (!layers.TryGetLayer(TopLevel(name), out _))
                violations.Add(new LayerViolation(file, LineOf(declaration), "namespace " + name,
                    $"namespace {name} is not in {layers.Source}'s layers"));
        }
        foreach (var member in root.Members.Where(m => m is not BaseNamespaceDeclarationSyntax))
            violations.Add(new LayerViolation(file, LineOf(member), "global namespace",
                $"declares {Describe(member)} in the global namespace, which is not in {layers.Source}'s layers"));

        // Using directives and assembly attributes before a file-scoped namespace belong to that namespace.
        var topLevels = declarations.Select(d => TopLevel(FullName(d))).Distinct().ToList();
        var model = compilation.GetSemanticModel(tree);
        var uses = new List<Use>();
        var unresolved = new List<string>();
        new ReferenceWalker(topLevels.Count == 1 ? topLevels[0] : null, names, (node, context) =>
        {
            var info = model.GetSymbolInfo(node);
            if (info.Symbol is { } symbol) Consider(compilation, node, context, symbol, uses);
            else if (!info.CandidateSymbols.IsEmpty) foreach (var candidate in info.CandidateSymbols) Consider(compilation, node, context, candidate, uses);
            else if (node is SimpleNameSyntax name && !NamesNothing(name)) unresolved.Add($"{file}:{LineOf(node)}: {name.Identifier.ValueText}");
        }).Visit(root);

        var usedTypeNamespaces = uses.Where(u => !u.IsNamespace).Select(u => u.TargetNamespace).ToHashSet(StringComparer.Ordinal);
        violations.AddRange(uses
            .Where(u => !u.IsNamespace || !usedTypeNamespaces.Contains(u.TargetNamespace))
            .GroupBy(u => u.Target, StringComparer.Ordinal)
            .Select(g => g.MinBy(u => u.Line)!)
            .Select(u => new LayerViolation(file, u.Line, u.Target, u.Message)));
        return new LayeringReport(violations, unresolved);
    }

    /// <summary>Names that declare rather than use, and so bind to no symbol: a using alias, the member name of an
    /// anonymous object, the element name of a tuple.</summary>
    private static bool NamesNothing(SimpleNameSyntax name) => name.Parent switch
    {
        NameEqualsSyntax { Parent: UsingDirectiveSyntax or AnonymousObjectMemberDeclaratorSyntax } => true,
        NameColonSyntax { Parent: ArgumentSyntax { Parent: TupleExpressionSyntax } } => true,
        _ => false,
    };

    /// <summary>Adds a use of <paramref name="symbol"/> when it breaks the layering.</summary>
    private void Consider(Compilation compilation, SyntaxNode node, string? context, ISymbol symbol, List<Use> uses)
    {
        if (symbol is IAliasSymbol alias) symbol = alias.Target;

        string target, targetNamespace;
        bool isNamespace;
        if (symbol is INamespaceSymbol ns)
        {
            if (ns.IsGlobalNamespace) return;
            targetNamespace = ns.ToDisplayString();
            // "Orchestrator" as the left part of Orchestrator.X names no type of the root layer.
            if (targetNamespace == LayerTable.RootNamespace || !targetNamespace.StartsWith(RootPrefix, StringComparison.Ordinal)) return;
            target = "namespace " + targetNamespace;
            isNamespace = true;
        }
        else
        {
            if (TargetType(symbol) is not { } type) return;
            if (!SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.Assembly)) return;
            if (type.ContainingNamespace is not { IsGlobalNamespace: false } containing) return; // reported where declared
            targetNamespace = containing.ToDisplayString();
            var full = type.ToDisplayString(TypeName);
            target = targetNamespace == LayerTable.RootNamespace ? full : full[RootPrefix.Length..];
            isNamespace = false;
        }

        var targetTop = TopLevel(targetNamespace);
        // A namespace outside the table is reported where it is declared.
        if (!layers.TryGetLayer(targetTop, out var targetLayer)) return;
        if (context is null)
        {
            uses.Add(new Use(LineOf(node), target, targetNamespace, isNamespace,
                $"code outside any namespace uses {target}; the global namespace is not in {layers.Source}'s layers"));
            return;
        }
        if (!layers.TryGetLayer(context, out var sourceLayer)) return; // the file's namespace is reported already
        if (context == targetTop || targetLayer < sourceLayer) return;
        var why = targetLayer > sourceLayer ? $"layer {targetLayer} above layer {sourceLayer}" : $"both on layer {sourceLayer}";
        uses.Add(new Use(LineOf(node), target, targetNamespace, isNamespace, $"{context} uses {target} ({why})"));
    }

    /// <summary>The type a use of <paramref name="symbol"/> depends on: itself, or the type declaring the member.</summary>
    private static INamedTypeSymbol? TargetType(ISymbol symbol)
    {
        switch (symbol)
        {
            case IArrayTypeSymbol array: return TargetType(array.ElementType);
            case IPointerTypeSymbol pointer: return TargetType(pointer.PointedAtType);
            case INamedTypeSymbol { TypeKind: TypeKind.Error } or INamedTypeSymbol { IsAnonymousType: true }: return null;
            case INamedTypeSymbol named: return named.OriginalDefinition;
            case ITypeSymbol: return null; // type parameters, dynamic, function pointers
            case IMethodSymbol method: return (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
            case IPropertySymbol or IFieldSymbol or IEventSymbol: return symbol.ContainingType?.OriginalDefinition;
            default: return null; // locals, parameters, labels, range variables, discards
        }
    }

    /// <summary>The top-level namespace of Orchestrator a namespace belongs to: "Reboot" for Orchestrator.Reboot.Handlers,
    /// "Orchestrator" for the root namespace; any other namespace is its own full name (and not in the table).</summary>
    private static string TopLevel(string ns) =>
        ns == LayerTable.RootNamespace ? ns
        : ns.StartsWith(RootPrefix, StringComparison.Ordinal) ? ns[RootPrefix.Length..].Split('.')[0]
        : ns;

    private static string FullName(BaseNamespaceDeclarationSyntax declaration) =>
        string.Join('.', declaration.AncestorsAndSelf().OfType<BaseNamespaceDeclarationSyntax>().Reverse()
            .Select(d => string.Concat(d.Name.ToString().Where(c => !char.IsWhiteSpace(c)))));

    /// <summary>
    /// Every name a use of one of the compilation's own symbols can be spelled with: its namespaces, types and
    /// members (attributes also without their Attribute suffix), the aliases of using directives, and "var". A name
    /// outside this set cannot refer to Orchestrator, so it is not looked up, which keeps the check fast.
    /// </summary>
    private static HashSet<string> NamesOf(Compilation compilation)
    {
        // "var" binds to the type it stands for: a local of a type is a use of it.
        var names = new HashSet<string>(StringComparer.Ordinal) { "var" };
        var namespaces = new Stack<INamespaceSymbol>([compilation.Assembly.GlobalNamespace]);
        while (namespaces.TryPop(out var ns))
        {
            names.Add(ns.Name);
            foreach (var child in ns.GetNamespaceMembers()) namespaces.Push(child);
            var types = new Stack<INamedTypeSymbol>(ns.GetTypeMembers());
            while (types.TryPop(out var type))
            {
                names.Add(type.Name);
                if (type.Name.EndsWith("Attribute", StringComparison.Ordinal)) names.Add(type.Name[..^"Attribute".Length]);
                foreach (var member in type.GetMembers()) names.Add(member.Name);
                foreach (var nested in type.GetTypeMembers()) types.Push(nested);
            }
        }
        foreach (var tree in compilation.SyntaxTrees)
            foreach (var alias in tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
                         .OfType<UsingDirectiveSyntax>().Where(u => u.Alias is not null))
                names.Add(alias.Alias!.Name.Identifier.ValueText);
        return names;
    }

    private static int LineOf(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    private static string Describe(MemberDeclarationSyntax member) => member switch
    {
        BaseTypeDeclarationSyntax type => type.Identifier.Text,
        DelegateDeclarationSyntax @delegate => @delegate.Identifier.Text,
        _ => "top-level code",
    };

    /// <summary>
    /// Visits every node that can refer to a symbol, with the top-level namespace of the code it sits in. The names
    /// of namespace declarations are not uses and are not visited, nor are documentation comments (a cref is no
    /// dependency; the build does not even bind them).
    /// </summary>
    private sealed class ReferenceWalker(string? fileNamespace, IReadOnlySet<string> names, Action<SyntaxNode, string?> record) : CSharpSyntaxWalker
    {
        private string? _context = fileNamespace;

        public override void VisitNamespaceDeclaration(NamespaceDeclarationSyntax node) =>
            InNamespace(node, node.Externs, node.Usings, node.Members);

        public override void VisitFileScopedNamespaceDeclaration(FileScopedNamespaceDeclarationSyntax node) =>
            InNamespace(node, node.Externs, node.Usings, node.Members);

        private void InNamespace(BaseNamespaceDeclarationSyntax node, IEnumerable<SyntaxNode> externs, IEnumerable<SyntaxNode> usings,
            IEnumerable<SyntaxNode> members)
        {
            var saved = _context;
            _context = TopLevel(FullName(node));
            foreach (var child in externs.Concat(usings).Concat(members)) Visit(child);
            _context = saved;
        }

        // Names: simple and generic names, which are also the right parts of qualified names and member accesses,
        // the names of types in object creations, attributes and using directives, and of extension methods called
        // as instance methods.
        public override void VisitIdentifierName(IdentifierNameSyntax node)
        {
            if (names.Contains(node.Identifier.ValueText)) record(node, _context);
        }

        public override void VisitGenericName(GenericNameSyntax node)
        {
            if (names.Contains(node.Identifier.ValueText)) record(node, _context);
            base.VisitGenericName(node);
        }

        // Uses that name no type: target-typed new(), user-defined operators, indexers, constructor chaining.
        public override void VisitImplicitObjectCreationExpression(ImplicitObjectCreationExpressionSyntax node)
        {
            record(node, _context);
            base.VisitImplicitObjectCreationExpression(node);
        }

        public override void VisitBinaryExpression(BinaryExpressionSyntax node)
        {
            record(node, _context);
            base.VisitBinaryExpression(node);
        }

        public override void VisitPrefixUnaryExpression(PrefixUnaryExpressionSyntax node)
        {
            record(node, _context);
            base.VisitPrefixUnaryExpression(node);
        }

        public override void VisitPostfixUnaryExpression(PostfixUnaryExpressionSyntax node)
        {
            record(node, _context);
            base.VisitPostfixUnaryExpression(node);
        }

        public override void VisitAssignmentExpression(AssignmentExpressionSyntax node)
        {
            record(node, _context);
            base.VisitAssignmentExpression(node);
        }

        public override void VisitElementAccessExpression(ElementAccessExpressionSyntax node)
        {
            record(node, _context);
            base.VisitElementAccessExpression(node);
        }

        public override void VisitConstructorInitializer(ConstructorInitializerSyntax node)
        {
            record(node, _context);
            base.VisitConstructorInitializer(node);
        }
    }
}
