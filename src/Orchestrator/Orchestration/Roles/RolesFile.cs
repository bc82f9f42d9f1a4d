using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Orchestration.Contract;

namespace Orchestrator.Orchestration;

/// <summary>
/// Reads a project's role overrides from <c>.orchestrator/roles.json</c> in the session's working directory:
/// <code>
/// {
///   "roles": {
///     "implementer": { "prompt": "You are the implementer of this Rust code base..." },
///     "security-auditor": { "description": "Audits changes for vulnerabilities.", "prompt": "You are the security auditor..." }
///   }
/// }
/// </code>
/// A name that is built in replaces that role's prompt (and its description when given); any other name adds a role.
/// Rules: the file is one JSON object whose only key is <c>roles</c>, an object; role names match
/// <c>^[a-z][a-z0-9_-]{0,39}$</c> and appear once; each role is an object with a non-empty string <c>prompt</c>
/// and a string <c>description</c> (required for an added role, optional for an override); no other keys.
/// Every violation is reported at once, each naming the file, the role and the field. See docs/roles.md.
/// </summary>
internal static partial class RolesFile
{
    public const string RelativePath = ".orchestrator/roles.json";
    private const int MaxBytes = 1 << 20;

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,39}$")]
    private static partial Regex RoleName();

    public static string PathIn(string workingDirectory) => System.IO.Path.Combine(workingDirectory, ".orchestrator", "roles.json");

    /// <summary>Built-in roles merged with the file's, in built-in order then the file's; throws <see cref="RolesFileException"/> listing every problem.</summary>
    public static IReadOnlyList<SpecialistRole> Merge(string path, ReadOnlySpan<byte> json)
    {
        var errors = new List<string>();
        var roles = BuiltInRoles.All.ToList();
        if (json.Length > MaxBytes) throw new RolesFileException(path, [$"{path}: larger than {MaxBytes} bytes"]);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            throw new RolesFileException(path, [$"{path}: not valid JSON ({ex.Message})"]);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new RolesFileException(path, [$"{path}: the top level must be an object with a \"roles\" object"]);
            JsonElement? rolesElement = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == "roles") rolesElement = property.Value;
                else errors.Add($"{path}: unknown key \"{property.Name}\" at the top level (only \"roles\" is allowed)");
            }
            if (rolesElement is not { ValueKind: JsonValueKind.Object } rolesObject)
            {
                errors.Add(rolesElement is null ? $"{path}: missing \"roles\" object" : $"{path}: \"roles\" must be an object");
                throw new RolesFileException(path, errors);
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in rolesObject.EnumerateObject())
            {
                var name = entry.Name;
                if (!RoleName().IsMatch(name))
                {
                    errors.Add($"{path}: role \"{name}\": bad name (must match ^[a-z][a-z0-9_-]{{0,39}}$)");
                    continue;
                }
                if (!seen.Add(name))
                {
                    errors.Add($"{path}: role \"{name}\": defined more than once");
                    continue;
                }
                var builtIn = roles.FindIndex(r => r.Name == name && r.Source == RoleSource.BuiltIn);
                var role = ReadRole(path, name, entry.Value, builtIn >= 0 ? roles[builtIn] : null, errors);
                if (role is null) continue;
                if (builtIn >= 0) roles[builtIn] = role;
                else roles.Add(role);
            }
        }
        if (errors.Count > 0) throw new RolesFileException(path, errors);
        return roles;
    }

    private static SpecialistRole? ReadRole(string path, string name, JsonElement value, SpecialistRole? builtIn, List<string> errors)
    {
        var start = errors.Count;
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: role \"{name}\": must be an object with \"prompt\" and \"description\"");
            return null;
        }
        string? description = null, prompt = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "description":
                    if (field.Value.ValueKind != JsonValueKind.String) errors.Add($"{path}: role \"{name}\": field \"description\": must be a string");
                    else description = field.Value.GetString()!.Trim();
                    break;
                case "prompt":
                    if (field.Value.ValueKind != JsonValueKind.String) errors.Add($"{path}: role \"{name}\": field \"prompt\": must be a string");
                    else prompt = field.Value.GetString()!.Trim();
                    break;
                default:
                    errors.Add($"{path}: role \"{name}\": unknown field \"{field.Name}\" (allowed: description, prompt)");
                    break;
            }
        }
        if (prompt is null && !errors.Skip(start).Any(e => e.Contains("field \"prompt\"", StringComparison.Ordinal)))
            errors.Add($"{path}: role \"{name}\": field \"prompt\": missing");
        else if (prompt is { Length: 0 })
            errors.Add($"{path}: role \"{name}\": field \"prompt\": must not be empty");
        if (builtIn is null && description is null && !errors.Skip(start).Any(e => e.Contains("field \"description\"", StringComparison.Ordinal)))
            errors.Add($"{path}: role \"{name}\": field \"description\": missing (required for a role that is not built in)");
        if (errors.Count != start) return null;
        return builtIn is null
            ? new SpecialistRole(name, description!, prompt!, RoleSource.Project)
            : new SpecialistRole(name, string.IsNullOrEmpty(description) ? builtIn.Description : description, prompt!, RoleSource.ProjectOverride);
    }
}

/// <summary>A project's roles file is invalid; <see cref="Exception.Message"/> lists every problem.</summary>
public sealed class RolesFileException(string path, IReadOnlyList<string> problems)
    : Exception(problems.Count == 1 ? problems[0] : $"{path}: {problems.Count} problems: " + string.Join("; ", problems))
{
    public string FilePath { get; } = path;
    public IReadOnlyList<string> Problems { get; } = problems;
}
