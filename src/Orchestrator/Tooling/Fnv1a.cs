namespace Orchestrator.Tooling;

/// <summary>
/// FNV-1a, 64 bits: a cheap, stable fingerprint of bytes (an identity across images of one machine, never a security
/// boundary). Fed piece by piece; each piece's length goes in first, so ("ab","c") and ("a","bc") differ.
/// </summary>
internal struct Fnv1a
{
    private const ulong Prime = 1099511628211UL;
    private ulong _hash;

    public Fnv1a() => _hash = 14695981039346656037UL;

    public readonly ulong Value => _hash;

    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var fnv = new Fnv1a();
        fnv.Add(bytes);
        return fnv.Value;
    }

    /// <summary>Adds the bytes alone, as one run (what <see cref="Of"/> hashes).</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) _hash = (_hash ^ b) * Prime;
    }

    /// <summary>Adds one piece of a sequence: its length, then its bytes.</summary>
    public void AddPiece(ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        Add(length);
        Add(bytes);
    }

    public void AddPiece(string text) => AddPiece(System.Text.Encoding.UTF8.GetBytes(text));
}
