using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Orchestrator.Generators;

/// <summary>Turns symbols into equatable models and diagnostics. Nothing here emits code.</summary>
internal sealed class Parser
{
    public const string ToolAttributeName = "Orchestrator.Tooling.McpToolAttribute";
    public const string ModelAttributeName = "Orchestrator.Tooling.McpModelAttribute";
    private const string DescribeAttributeName = "Orchestrator.Tooling.DescribeAttribute";

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly HashSet<string> ListTypes =
    [
        "System.Collections.Generic.IReadOnlyList<T>",
        "System.Collections.Generic.List<T>",
        "System.Collections.Generic.IList<T>",
        "System.Collections.Generic.IEnumerable<T>",
        "System.Collections.Generic.IReadOnlyCollection<T>",
        "System.Collections.Generic.ICollection<T>",
    ];

    private readonly Compilation _compilation;
    private readonly CancellationToken _cancellationToken;
    private readonly List<DiagnosticInfo> _diagnostics = [];
    private readonly Dictionary<INamedTypeSymbol, RecordState> _records = new(SymbolEqualityComparer.Default);
    private readonly List<INamedTypeSymbol> _order = [];
    private string _rootName = "";

    private sealed class RecordState
    {
        public bool Valid;
        public bool Args;
        public bool Result;
        public bool CtorChecked;
        public bool HasParameterlessConstructor;
        public List<(PropertyModel Model, List<INamedTypeSymbol> Records, Location? Location)> Properties = [];
    }

    private Parser(Compilation compilation, CancellationToken cancellationToken)
    {
        _compilation = compilation;
        _cancellationToken = cancellationToken;
    }

    public static ParseResult ParseTool(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var parser = new Parser(context.SemanticModel.Compilation, cancellationToken);
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var location = type.Locations.FirstOrDefault();
        var attribute = context.Attributes[0];
        var name = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string ?? "" : "";
        parser._rootName = name;
        string description = "", group = "default";
        var perMinute = 0;
        var allowedDuringMaintenance = false;
        var idempotent = false;
        INamedTypeSymbol? result = null;
        var resultSet = false;
        foreach (var named in attribute.NamedArguments)
        {
            switch (named.Key)
            {
                case "Description": description = named.Value.Value as string ?? ""; break;
                case "Group": group = named.Value.Value as string ?? "default"; break;
                case "Result": resultSet = true; result = named.Value.Value as INamedTypeSymbol; break;
                case "PerMinute": perMinute = named.Value.Value as int? ?? 0; break;
                case "AllowedDuringMaintenance": allowedDuringMaintenance = named.Value.Value as bool? ?? false; break;
                case "Idempotent": idempotent = named.Value.Value as bool? ?? false; break;
            }
        }

        if (!IsPartialRecord(type))
        {
            parser.Report(Diagnostics.ToolNotPartialRecord, location, type.ToDisplayString());
            return parser.Finish(null);
        }
        if (!Naming.IsValidToolName(name))
            parser.Report(Diagnostics.InvalidToolName, location, name);
        if (perMinute < 0)
            parser.Report(Diagnostics.NegativeRateLimit, location, name, perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));

        parser.Visit(type, args: true, result: false, location);
        if (result is null || !result.IsRecord || result.TypeKind != TypeKind.Class)
        {
            parser.Report(Diagnostics.BadResult, location, name,
                !resultSet || result is null ? "Result is not set" : $"'{result.ToDisplayString()}' is not a record class");
        }
        else
        {
            parser.Visit(result, args: false, result: true, location);
        }

        var argsName = type.Name;
        var handler = argsName.EndsWith("Args", System.StringComparison.Ordinal) && argsName.Length > 4
            ? argsName.Substring(0, argsName.Length - 4)
            : argsName;
        var tool = new ToolModel(name, description, group, perMinute, allowedDuringMaintenance, idempotent,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), argsName,
            result?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) ?? "", handler, LocationInfo.From(location));
        return parser.Finish(tool);
    }

    public static ParseResult ParseModel(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var parser = new Parser(context.SemanticModel.Compilation, cancellationToken);
        var type = (INamedTypeSymbol)context.TargetSymbol;
        parser._rootName = "[McpModel]";
        parser.Visit(type, args: false, result: true, type.Locations.FirstOrDefault());
        return parser.Finish(null);
    }

    private ParseResult Finish(ToolModel? tool)
    {
        var records = new List<RecordModel>();
        foreach (var symbol in _order)
        {
            var state = _records[symbol];
            if (!state.Valid) continue;
            records.Add(new RecordModel(
                symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                symbol.Name,
                symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
                ContainingTypeDeclarations(symbol).ToEquatableArray(),
                state.Properties.Select(p => p.Model).ToEquatableArray(),
                state.HasParameterlessConstructor,
                state.Args,
                state.Result));
        }
        return new ParseResult(tool, records.ToEquatableArray(), _diagnostics.ToEquatableArray());
    }

    private void Report(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        _diagnostics.Add(new DiagnosticInfo(descriptor, LocationInfo.From(location), arguments.ToEquatableArray()));

    private void Visit(INamedTypeSymbol type, bool args, bool result, Location? referenceLocation)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var isNew = !_records.TryGetValue(type, out var state);
        if (isNew)
        {
            state = new RecordState();
            _records[type] = state;
            _order.Add(type);
            state.Valid = IsPartialRecord(type);
            if (!state.Valid)
            {
                Report(Diagnostics.ModelNotPartial, referenceLocation ?? type.Locations.FirstOrDefault(), type.ToDisplayString(), _rootName);
                return;
            }
            state.HasParameterlessConstructor = type.InstanceConstructors.Any(c =>
                c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal);
            AnalyzeProperties(type, state);
        }
        if (!state!.Valid) return;

        var addArgs = args && !state.Args;
        var addResult = result && !state.Result;
        state.Args |= args;
        state.Result |= result;
        if (addArgs && !state.CtorChecked)
        {
            state.CtorChecked = true;
            if (!state.HasParameterlessConstructor)
                Report(Diagnostics.NoParameterlessConstructor, type.Locations.FirstOrDefault(), type.ToDisplayString());
        }
        if (!addArgs && !addResult) return;
        foreach (var (model, records, location) in state.Properties)
            foreach (var record in records)
                Visit(record, addArgs && model.CanWrite, addResult, location);
    }

    private void AnalyzeProperties(INamedTypeSymbol type, RecordState state)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var t = type; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType) chain.Insert(0, t);
        var seen = new HashSet<string>();
        foreach (var t in chain)
        {
            foreach (var member in t.GetMembers())
            {
                if (member is not IPropertySymbol property || property.IsStatic || property.IsIndexer
                    || property.DeclaredAccessibility != Accessibility.Public || property.GetMethod is null
                    || !seen.Add(property.Name))
                    continue;
                var propertyLocation = property.Locations.FirstOrDefault();
                var displayName = $"{type.Name}.{property.Name}";
                var records = new List<INamedTypeSymbol>();
                var typeModel = MapType(property.Type, records);
                if (typeModel is null)
                {
                    Report(Diagnostics.UnsupportedType, propertyLocation, displayName, property.Type.ToDisplayString());
                    continue;
                }

                string? description = null;
                double minimum = double.NaN, maximum = double.NaN;
                int? maxItems = null;
                foreach (var attribute in property.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() != DescribeAttributeName) continue;
                    if (attribute.ConstructorArguments.Length > 0) description = attribute.ConstructorArguments[0].Value as string;
                    foreach (var named in attribute.NamedArguments)
                    {
                        if (named.Key == "Minimum" && named.Value.Value is double min) minimum = min;
                        if (named.Key == "Maximum" && named.Value.Value is double max) maximum = max;
                        if (named.Key == "MaxItems" && named.Value.Value is int items) maxItems = items;
                    }
                }
                if ((!double.IsNaN(minimum) || !double.IsNaN(maximum)) && !typeModel.IsNumeric)
                {
                    Report(Diagnostics.BoundsOnNonNumeric, propertyLocation, displayName, property.Type.ToDisplayString());
                    minimum = maximum = double.NaN;
                }
                if (maxItems is { } declared && (typeModel.Kind != ValueKind.Array || declared < 1))
                {
                    Report(Diagnostics.MaxItemsOnNonArray, propertyLocation, displayName, property.Type.ToDisplayString(),
                        declared.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    maxItems = null;
                }

                var jsonName = Naming.SnakeCase(property.Name);
                if (state.Properties.Any(p => p.Model.JsonName == jsonName))
                {
                    Report(Diagnostics.DuplicateJsonName, propertyLocation, displayName, jsonName);
                    continue;
                }

                var defaultJson = DefaultValue(property, typeModel, displayName);
                var canWrite = property.SetMethod is { DeclaredAccessibility: Accessibility.Public };
                state.Properties.Add((new PropertyModel(property.Name, jsonName, typeModel,
                    property.IsRequired, canWrite, description, minimum, maximum, defaultJson, maxItems ?? 0), records, propertyLocation));
            }
        }
    }

    private string? DefaultValue(IPropertySymbol property, TypeModel type, string displayName)
    {
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(_cancellationToken) is not PropertyDeclarationSyntax { Initializer.Value: { } expression }) continue;
            if (expression is CollectionExpressionSyntax { Elements.Count: 0 } && type.Kind == ValueKind.Array) return "[]";
            var model = _compilation.GetSemanticModel(expression.SyntaxTree);
            var constant = model.GetConstantValue(expression, _cancellationToken);
            if (constant.HasValue)
            {
                var value = constant.Value;
                if (type.Kind == ValueKind.Enum)
                {
                    var enumType = (property.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n ? n.TypeArguments[0] : property.Type) as INamedTypeSymbol;
                    var member = enumType?.GetMembers().OfType<IFieldSymbol>()
                        .FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
                    if (member is not null) return Naming.JsonString(Naming.SnakeCase(member.Name));
                    if (value is null) return null;
                }
                else
                {
                    switch (value)
                    {
                        case null: return null;
                        case bool b: return b ? "true" : "false";
                        case string s: return Naming.JsonString(s);
                        case int or long or short or byte or sbyte or ushort or uint or ulong or double or float or decimal:
                            var d = System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                            if (!double.IsNaN(d) && !double.IsInfinity(d)) return Naming.JsonNumber(d);
                            break;
                    }
                }
            }
            Report(Diagnostics.NonConstantDefault, expression.GetLocation(), displayName, expression.ToString());
            return null;
        }
        return null;
    }

    private TypeModel? MapType(ITypeSymbol type, List<INamedTypeSymbol> records)
    {
        var nullable = false;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableType)
        {
            type = nullableType.TypeArguments[0];
            nullable = true;
        }
        else if (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated)
        {
            nullable = true;
            type = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        }

        var name = type.ToDisplayString(TypeFormat);
        TypeModel Simple(ValueKind kind) => new(kind, name, nullable, type.IsValueType, null, false, EquatableArray<string>.Empty);

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return Simple(ValueKind.Boolean);
            case SpecialType.System_Int32: return Simple(ValueKind.Int32);
            case SpecialType.System_Int64: return Simple(ValueKind.Int64);
            case SpecialType.System_Double: return Simple(ValueKind.Double);
            case SpecialType.System_Single: return Simple(ValueKind.Single);
            case SpecialType.System_String: return Simple(ValueKind.String);
        }
        if (type.TypeKind == TypeKind.Enum)
        {
            var fields = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).ToList();
            // Aliases (members sharing a value) are accepted on input but written under the first name only.
            var seenValues = new HashSet<object?>();
            var written = fields.Where(f => seenValues.Add(f.ConstantValue)).Select(f => f.Name).ToEquatableArray();
            return new TypeModel(ValueKind.Enum, name, nullable, true, null, false, fields.Select(f => f.Name).ToEquatableArray()) { EnumWrittenMembers = written };
        }
        if (name == "global::System.DateTimeOffset") return Simple(ValueKind.DateTimeOffset);
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            var element = MapType(array.ElementType, records);
            return element is null ? null : new TypeModel(ValueKind.Array, name, nullable, false, element, true, EquatableArray<string>.Empty);
        }
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
            && ListTypes.Contains(generic.OriginalDefinition.ToDisplayString()))
        {
            var element = MapType(generic.TypeArguments[0], records);
            return element is null ? null : new TypeModel(ValueKind.Array, name, nullable, false, element, false, EquatableArray<string>.Empty);
        }
        if (type is INamedTypeSymbol { IsRecord: true, TypeKind: TypeKind.Class } record)
        {
            records.Add(record);
            return new TypeModel(ValueKind.Record, name, nullable, false, null, false, EquatableArray<string>.Empty);
        }
        return null;
    }

    private static bool IsPartialRecord(INamedTypeSymbol type)
    {
        if (!type.IsRecord || type.TypeKind != TypeKind.Class || type.IsGenericType || !IsPartial(type)) return false;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            if (outer.IsGenericType || !IsPartial(outer)) return false;
        return true;
    }

    private static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Length > 0
        && type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static IEnumerable<string> ContainingTypeDeclarations(INamedTypeSymbol type)
    {
        var result = new List<string>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            var keyword = outer switch
            {
                { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
                { IsRecord: true } => "record",
                { TypeKind: TypeKind.Struct } => "struct",
                { TypeKind: TypeKind.Interface } => "interface",
                _ => "class",
            };
            result.Insert(0, $"partial {keyword} {outer.Name}");
        }
        return result;
    }
}
