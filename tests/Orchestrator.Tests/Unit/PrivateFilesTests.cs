using Orchestrator.Http;
using Orchestrator.Storage;

namespace Orchestrator.Tests.Unit;

/// <summary>
/// The helpers that keep the user's data private: what they create is 0700 or 0600, what exists keeps its mode; how a
/// mode that lets others in is described and fixed; how a token file is judged. (The process umask is left alone here:
/// tests run in parallel in this process. The published binary is tested under umask 022 and 000 in Security/.)
/// </summary>
public class PrivateFilesTests
{
    private const UnixFileMode Mode755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode Mode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Mode620 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite;

    [Test]
    public async Task A_directory_is_created_0700_with_its_parents_and_one_that_exists_keeps_its_mode()
    {
        using var temp = new UnitTempDirectory();
        var nested = temp.File("a/b/c");
        PrivateFiles.CreateDirectory(nested);
        foreach (var created in new[] { temp.File("a"), temp.File("a/b"), nested })
            await Assert.That(File.GetUnixFileMode(created)).IsEqualTo(PrivateFiles.DirectoryMode);

        var existing = temp.File("shared");
        Directory.CreateDirectory(existing);
        File.SetUnixFileMode(existing, Mode755);
        PrivateFiles.CreateDirectory(existing);
        await Assert.That(File.GetUnixFileMode(existing)).IsEqualTo(Mode755);
    }

    [Test]
    public async Task An_export_file_is_created_0600_and_one_that_exists_is_truncated_keeping_its_mode()
    {
        using var temp = new UnitTempDirectory();
        var fresh = temp.File("export.json");
        await using (var stream = PrivateFiles.CreateFile(fresh)) stream.Write("{}"u8);
        await Assert.That(File.GetUnixFileMode(fresh)).IsEqualTo(PrivateFiles.FileMode);
        await Assert.That(await File.ReadAllTextAsync(fresh)).IsEqualTo("{}");

        var chosen = temp.File("shared.json");
        await File.WriteAllTextAsync(chosen, "a much longer previous content");
        File.SetUnixFileMode(chosen, Mode644);
        await using (var stream = PrivateFiles.CreateFile(chosen)) stream.Write("[]"u8);
        await Assert.That(File.GetUnixFileMode(chosen)).IsEqualTo(Mode644);
        await Assert.That(await File.ReadAllTextAsync(chosen)).IsEqualTo("[]");
    }

    [Test]
    public async Task An_exposure_names_who_gets_in_and_the_chmod_that_closes_it()
    {
        using var temp = new UnitTempDirectory();
        var file = temp.File("it's here.db");
        await File.WriteAllTextAsync(file, "");
        File.SetUnixFileMode(file, PrivateFiles.FileMode);
        await Assert.That(PrivateFiles.Exposure(file)).IsNull();
        await Assert.That(PrivateFiles.Exposure(temp.File("missing"))).IsNull();

        File.SetUnixFileMode(file, Mode644);
        var readable = PrivateFiles.Exposure(file)!;
        await Assert.That(readable.Finding).IsEqualTo("other users can read it (mode 0644)");
        await Assert.That(readable.Fix).IsEqualTo($"chmod 600 '{temp.Path}/it'\\''s here.db'");

        File.SetUnixFileMode(file, Mode620);
        await Assert.That(PrivateFiles.Exposure(file)!.Finding).IsEqualTo("other users can access it (mode 0620)");

        File.SetUnixFileMode(temp.Path, Mode755);
        await Assert.That(PrivateFiles.Exposure(temp.Path)!.Fix).IsEqualTo($"chmod 700 {temp.Path}");
    }

    [Test]
    public async Task A_token_file_gives_its_first_line_and_is_refused_when_others_can_read_or_write_it()
    {
        using var temp = new UnitTempDirectory();
        var path = temp.File("token");
        await File.WriteAllTextAsync(path, "  the-token \r\nsecond line\n");
        File.SetUnixFileMode(path, PrivateFiles.FileMode);
        var read = TokenFile.Read(path, allowExposed: false);
        await Assert.That(read.Token).IsEqualTo("the-token");
        await Assert.That(read.Problem).IsNull();
        await Assert.That(read.Version).IsNotNull();

        foreach (var mode in new[] { Mode644, Mode620 })
        {
            File.SetUnixFileMode(path, mode);
            var refused = TokenFile.Read(path, allowExposed: false);
            await Assert.That(refused.Token).IsNull();
            await Assert.That(refused.Problem!).Contains($"chmod 600 {path}").And.DoesNotContain("the-token");
            await Assert.That(TokenFile.Read(path, allowExposed: true).Token).IsEqualTo("the-token");
        }

        await Assert.That(TokenFile.Read(temp.File("missing"), false).Problem!).StartsWith($"cannot read {temp.File("missing")}");
        await Assert.That(TokenFile.Read(temp.Path, false).Problem).IsNotNull();
        File.SetUnixFileMode(path, PrivateFiles.FileMode);
        await File.WriteAllBytesAsync(path, new byte[TokenFile.MaxBytes + 1]);
        await Assert.That(TokenFile.Read(path, false).Problem!).Contains("not a token file");
    }
}
