using System.Runtime.Intrinsics.X86;
using System.Text;
using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Tests.Unit;

/// <summary>CRC-32C (Castagnoli) against published vectors and against a bit-at-a-time reference.</summary>
public class Crc32CTests
{
    /// <summary>Bit-serial reference, reflected polynomial 0x82F63B78: no table, no SSE4.2.</summary>
    private static uint Reference(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }

    [Test]
    [Arguments("", 0x00000000u)]
    [Arguments("a", 0xC1D04330u)]
    [Arguments("abc", 0x364B3FB7u)]
    [Arguments("123456789", 0xE3069283u)]
    [Arguments("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public async Task Known_text_vectors(string text, uint expected)
    {
        await Assert.That(Crc32C.Compute(Encoding.ASCII.GetBytes(text))).IsEqualTo(expected);
    }

    [Test]
    public async Task Rfc3720_iscsi_vectors()
    {
        // RFC 3720, appendix B.4.
        await Assert.That(Crc32C.Compute(new byte[32])).IsEqualTo(0x8A9136AAu);
        await Assert.That(Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray())).IsEqualTo(0x62A8AB43u);
        await Assert.That(Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray())).IsEqualTo(0x46DD794Eu);
        await Assert.That(Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray())).IsEqualTo(0x113FDB5Cu);
    }

    [Test]
    public async Task The_reference_itself_matches_the_check_value()
    {
        await Assert.That(Reference("123456789"u8)).IsEqualTo(0xE3069283u);
    }

    [Test]
    public async Task Wide_and_byte_wise_paths_agree_with_the_reference_for_lengths_0_to_64_at_every_alignment()
    {
        // Compute() takes 8 bytes at a time with SSE4.2 where available and finishes (or does everything) with the table,
        // so every length 0..64 mixes the two paths differently; offsets 0..7 vary the alignment of the wide reads.
        var data = new byte[64 + 8];
        new Random(99).NextBytes(data);
        var mismatches = new List<string>();
        for (var offset = 0; offset < 8; offset++)
            for (var length = 0; length <= 64; length++)
            {
                var slice = data.AsSpan(offset, length);
                var actual = Crc32C.Compute(slice);
                var expected = Reference(slice);
                if (actual != expected) mismatches.Add($"offset {offset} length {length}: {actual:X8} != {expected:X8} (sse4.2 {Sse42.X64.IsSupported})");
            }
        await Assert.That(mismatches).IsEmpty();
    }

    [Test]
    public async Task A_large_buffer_agrees_with_the_reference()
    {
        var data = new byte[100_003];
        new Random(5).NextBytes(data);
        await Assert.That(Crc32C.Compute(data)).IsEqualTo(Reference(data));
    }

    [Test]
    public async Task Every_single_bit_change_changes_the_checksum()
    {
        var data = new byte[40];
        new Random(11).NextBytes(data);
        var baseline = Crc32C.Compute(data);
        var unchanged = 0;
        for (var bit = 0; bit < data.Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            if (Crc32C.Compute(data) == baseline) unchanged++;
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
        await Assert.That(unchanged).IsEqualTo(0);
    }
}
