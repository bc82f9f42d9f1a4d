using System.Runtime.InteropServices;

namespace Orchestrator.Native;

/// <summary>
/// The GNU build id of the running executable: the note the linker writes (<c>-Wl,--build-id</c>, a SHA-1 of the linked
/// output), so two binaries built from anything different report different ids, and the same file always the same one;
/// <c>readelf -n</c> and <c>file</c> show it too. Read from the image already in memory (the program headers the kernel
/// points at through the auxiliary vector): no file is opened, no system call made.
/// </summary>
internal static unsafe partial class ElfBuildId
{
    private const nuint AtPhdr = 3;
    private const nuint AtPhnum = 5;
    private const uint PtPhdr = 6;
    private const uint PtNote = 4;
    private const uint NtGnuBuildId = 3;

    /// <summary>Lower-case hex, or null when the executable carries no build-id note.</summary>
    public static string? OfThisProcess { get; } = Read();

    [LibraryImport("libc")]
    private static partial nuint getauxval(nuint type);

    /// <summary>Elf64_Phdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ProgramHeader
    {
        public uint Type;
        public uint Flags;
        public ulong Offset;
        public ulong VirtualAddress;
        public ulong PhysicalAddress;
        public ulong FileSize;
        public ulong MemorySize;
        public ulong Align;
    }

    private static string? Read()
    {
        var headers = (ProgramHeader*)getauxval(AtPhdr);
        var count = (int)getauxval(AtPhnum);
        if (headers is null || count <= 0) return null;
        // A position-independent executable is loaded at a bias: where its headers are, less where they say they are.
        nuint bias = 0;
        for (var i = 0; i < count; i++)
            if (headers[i].Type == PtPhdr) bias = (nuint)headers - (nuint)headers[i].VirtualAddress;
        for (var i = 0; i < count; i++)
        {
            if (headers[i].Type != PtNote) continue;
            var notes = new ReadOnlySpan<byte>((byte*)(bias + (nuint)headers[i].VirtualAddress), (int)headers[i].FileSize);
            if (Find(notes) is { } id) return id;
        }
        return null;
    }

    /// <summary>The build id in a run of ELF notes (name size, description size, type, then both padded to 4 bytes).</summary>
    internal static string? Find(ReadOnlySpan<byte> notes)
    {
        while (notes.Length >= 12)
        {
            var nameSize = MemoryMarshal.Read<uint>(notes);
            var descriptionSize = MemoryMarshal.Read<uint>(notes[4..]);
            var type = MemoryMarshal.Read<uint>(notes[8..]);
            var nameEnd = 12 + Aligned(nameSize);
            var end = nameEnd + Aligned(descriptionSize);
            if (nameSize > int.MaxValue || descriptionSize > int.MaxValue || end > (ulong)notes.Length) return null;
            if (type == NtGnuBuildId && notes.Slice(12, (int)nameSize).SequenceEqual("GNU\0"u8))
                return Convert.ToHexStringLower(notes.Slice((int)nameEnd, (int)descriptionSize));
            notes = notes[(int)end..];
        }
        return null;
    }

    private static ulong Aligned(uint size) => ((ulong)size + 3) & ~3UL;
}
