using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Orchestrator.Native;
using System.Text;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Snapshot;

/// <summary>
/// Memory-maps a snapshot file and decodes it, refusing anything it cannot trust: wrong magic, unknown version,
/// truncation, checksum mismatch, another data directory, malformed sections.
/// </summary>
internal static unsafe class SnapshotReader
{
    /// <summary>
    /// Maps the file read-only with mmap(2) directly: on the restart path, <c>MemoryMappedFile</c>'s extra objects and
    /// system calls cost more than the decoding itself.
    /// </summary>
    public static RestartSnapshot Read(string path, ulong expectedDataDirectoryId)
    {
        var pathBytes = Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = pathBytes) fd = Libc.open(p, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) throw new SnapshotCorruptException($"snapshot {path} cannot be read (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            var length = Libc.lseek(fd, 0, Libc.SEEK_END);
            if (length < SnapshotFormat.HeaderSize)
                throw new SnapshotCorruptException($"snapshot is {Math.Max(length, 0)} bytes, shorter than its {SnapshotFormat.HeaderSize}-byte header");
            if (length > int.MaxValue) throw new SnapshotCorruptException($"snapshot is implausibly large ({length} bytes)");
            // MAP_POPULATE: the whole file is read by the checksum anyway; one pre-fault pass is cheaper than a page fault
            // per 4 KiB page (a snapshot of a million suspended subtask ids is ~18 MB).
            var start = Libc.mmap(null, (nuint)length, Libc.PROT_READ, Libc.MAP_PRIVATE | Libc.MAP_POPULATE, fd, 0);
            if ((nint)start == Libc.MapFailed)
                throw new SnapshotCorruptException($"snapshot {path} cannot be mapped (errno {Marshal.GetLastPInvokeError()})");
            try
            {
                return Decode(new ReadOnlySpan<byte>(start, (int)length), expectedDataDirectoryId);
            }
            finally
            {
                Libc.munmap(start, (nuint)length);
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    public static RestartSnapshot Decode(ReadOnlySpan<byte> file, ulong expectedDataDirectoryId)
    {
        if (file.Length < SnapshotFormat.HeaderSize) throw new SnapshotCorruptException("snapshot shorter than its header");
        var header = file[..SnapshotFormat.HeaderSize];
        if (!header[..8].SequenceEqual(SnapshotFormat.Magic)) throw new SnapshotCorruptException("not a snapshot (bad magic)");
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[28..]) != SnapshotWriter.HeaderChecksum(header))
            throw new SnapshotCorruptException("snapshot header checksum mismatch");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (SnapshotMigration.Unreadable(version) is { } unreadable) throw new SnapshotCorruptException(unreadable);
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != SnapshotFormat.HeaderSize)
            throw new SnapshotCorruptException("snapshot header size mismatch");
        var payloadLength = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        if (payloadLength != (ulong)(file.Length - SnapshotFormat.HeaderSize))
            throw new SnapshotCorruptException($"snapshot truncated or padded: payload should be {payloadLength} bytes, file holds {file.Length - SnapshotFormat.HeaderSize}");
        var payload = file[SnapshotFormat.HeaderSize..];
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[24..]) != Crc32C.Compute(payload))
            throw new SnapshotCorruptException("snapshot payload checksum mismatch");
        if (BinaryPrimitives.ReadUInt64LittleEndian(header[32..]) != expectedDataDirectoryId)
            throw new SnapshotCorruptException("snapshot was written for another data directory");

        PendingRestart? pending = null;
        byte[] replay = [];
        SessionSnapshot? session = null;
        var limits = new List<RateLimitEntry>();
        IReadOnlyList<string> suspended = [];
        var httpSessions = new List<HttpSessionRecord>();
        ImageLineage? lineage = null;
        SubscriptionsSnapshot? subscriptions = null;
        byte[] httpEventStreams = [];
        byte[] httpSubscriptions = [];
        var d = new Decoder(payload);
        while (!d.AtEnd)
        {
            var tag = (SnapshotFormat.Section)d.UInt16();
            var body = d.Bytes(d.Int32());
            var section = new Decoder(body);
            switch (tag)
            {
                case SnapshotFormat.Section.PendingRestart:
                    var requestId = section.String();
                    if (version <= 2) SnapshotMigration.SkipProgressTokenV2(ref section);
                    pending = new PendingRestart(requestId, section.Bool(), section.Bool(),
                        section.Int32(), section.String(), section.Int64(), section.Int64(), section.Int64());
                    if (version >= 2) pending = pending with { WriterVersion = section.NullableString() };
                    break;
                case SnapshotFormat.Section.ReplayBytes:
                    replay = section.Bytes(section.Int32()).ToArray();
                    break;
                case SnapshotFormat.Section.Session:
                    session = new SessionSnapshot(section.String(), section.Int64(), section.NullableString(), section.NullableString(),
                        section.NullableString(), section.Bool(), section.Int32()) { LoggingLevel = section.NullableString() };
                    break;
                case SnapshotFormat.Section.RateLimits:
                    var count = section.Int32();
                    if (count < 0 || count > 1_000_000) throw new SnapshotCorruptException("snapshot rate-limit section malformed");
                    for (var i = 0; i < count; i++) limits.Add(new RateLimitEntry(section.String(), section.String(), section.Int64()));
                    break;
                case SnapshotFormat.Section.SuspendedSubtasks:
                    suspended = version == 1 ? SnapshotMigration.ReadSuspendedSubtasksV1(ref section) : PackedIdList.Read(body);
                    break;
                case SnapshotFormat.Section.HttpSessions:
                    var sessions = section.Int32();
                    if (sessions < 0 || sessions > 1_000_000) throw new SnapshotCorruptException("snapshot HTTP-session section malformed");
                    for (var i = 0; i < sessions; i++)
                        httpSessions.Add(new HttpSessionRecord(section.String(), section.String(), section.Int64(), section.Int32()));
                    break;
                case SnapshotFormat.Section.Lineage:
                    var generation = section.Int32();
                    var lists = section.Int32();
                    if (generation < 0 || lists < 0 || lists > 64) throw new SnapshotCorruptException("snapshot lineage section malformed");
                    var served = new ServedList[lists];
                    for (var i = 0; i < lists; i++) served[i] = new ServedList(section.String(), unchecked((ulong)section.Int64()));
                    lineage = new ImageLineage(generation, served);
                    break;
                case SnapshotFormat.Section.Subscriptions:
                    var mark = section.Int64();
                    var uris = section.Int32();
                    if (uris < 0 || uris > 1_000_000) throw new SnapshotCorruptException("snapshot subscriptions section malformed");
                    var list = new List<string>(uris);
                    for (var i = 0; i < uris; i++) list.Add(section.String());
                    subscriptions = new SubscriptionsSnapshot(mark, list);
                    break;
                case SnapshotFormat.Section.HttpEventStreams:
                    httpEventStreams = section.Bytes(section.Int32()).ToArray();
                    break;
                case SnapshotFormat.Section.HttpSubscriptions:
                    httpSubscriptions = section.Bytes(section.Int32()).ToArray();
                    break;
                default:
                    break; // sections added by newer writers of the same version are skipped
            }
        }
        if (pending is null) throw new SnapshotCorruptException("snapshot has no pending-restart section");
        return new RestartSnapshot
        {
            Pending = pending,
            ReplayBytes = replay,
            Session = session,
            RateLimits = limits,
            SuspendedSubtasks = suspended,
            HttpSessions = httpSessions,
            Lineage = lineage,
            Subscriptions = subscriptions,
            HttpEventStreams = httpEventStreams,
            HttpSubscriptions = httpSubscriptions,
            StatePreserved = (flags & SnapshotFormat.FlagStatePreserved) != 0,
            FormatVersion = version,
        };
    }

    internal ref struct Decoder(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool AtEnd => _rest.IsEmpty;

        public ReadOnlySpan<byte> Bytes(int length)
        {
            if (length < 0 || length > _rest.Length) throw new SnapshotCorruptException("snapshot section overruns its bounds");
            var bytes = _rest[..length];
            _rest = _rest[length..];
            return bytes;
        }

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));
        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));
        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));
        public bool Bool() => Bytes(1)[0] != 0;
        public string String() => Encoding.UTF8.GetString(Bytes(Int32()));

        public string? NullableString()
        {
            var length = Int32();
            return length == -1 ? null : Encoding.UTF8.GetString(Bytes(length));
        }
    }
}
