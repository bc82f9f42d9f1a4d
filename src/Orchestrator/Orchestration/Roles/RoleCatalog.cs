namespace Orchestrator.Orchestration;

/// <summary>
/// The roles of a working directory: built-in ones merged with its <c>.orchestrator/roles.json</c>. The merge is cached
/// per directory and redone only when the file's length or modification time changes, so that a plan or execute call
/// costs one stat, not a parse.
/// </summary>
internal sealed class RoleCatalog
{
    private readonly record struct Entry(bool Exists, long Length, DateTime Modified, IReadOnlyList<SpecialistRole> Roles);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    /// <summary>The roles available in <paramref name="workingDirectory"/>; throws <see cref="RolesFileException"/> when its file is invalid.</summary>
    public IReadOnlyList<SpecialistRole> For(string workingDirectory)
    {
        var path = RolesFile.PathIn(workingDirectory);
        var info = new FileInfo(path);
        var exists = info.Exists;
        var length = exists ? info.Length : 0;
        var modified = exists ? info.LastWriteTimeUtc : default;
        lock (_lock)
        {
            if (_cache.TryGetValue(workingDirectory, out var cached) && cached.Exists == exists && cached.Length == length && cached.Modified == modified)
                return cached.Roles;
        }
        IReadOnlyList<SpecialistRole> roles;
        try
        {
            roles = exists ? RolesFile.Merge(path, File.ReadAllBytes(path)) : BuiltInRoles.All;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RolesFileException(path, [$"{path}: cannot be read ({ex.Message})"]);
        }
        lock (_lock) _cache[workingDirectory] = new Entry(exists, length, modified, roles);
        return roles;
    }

    public static SpecialistRole? Find(IReadOnlyList<SpecialistRole> roles, string name)
    {
        foreach (var role in roles)
            if (role.Name == name) return role;
        return null;
    }
}
