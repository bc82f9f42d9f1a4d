using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Snapshot;

/// <summary>Encodes a <see cref="RestartSnapshot"/> and writes it atomically (temporary file, then rename), mode 0600.</summary>
internal static class SnapshotWriter
{
    /// <param name="formatVersion">
    /// The version to write: the current one, except in a build that emulates another release for the test suite (1 or 2:
    /// a release before, through <see cref="SnapshotMigration"/>; above the current one: a release from the future).
    /// </param>
    public static byte[] Encode(RestartSnapshot snapshot, ulong dataDirectoryId, long createdUnixMs, int pid,
        ushort formatVersion = SnapshotFormat.CurrentVersion)
    {
        var payload = new ArrayBufferWriter<byte>(1024 + snapshot.ReplayBytes.Length);
        var p = new Encoder(payload);

        p.BeginSection(SnapshotFormat.Section.PendingRestart);
        var pending = snapshot.Pending;
        p.String(pending.RequestIdJson);
        if (formatVersion <= 2) SnapshotMigration.WriteProgressTokenV2(p);
        p.Bool(pending.Graceful);
        p.Bool(pending.PreserveState);
        p.Int32(pending.Timeout);
        p.String(pending.Reason);
        p.Int64(pending.StartedUnixMs);
        p.Int64(pending.StartedTimestamp);
        p.Int64(pending.HistoryId);
        if (formatVersion >= 2) p.NullableString(pending.WriterVersion);
        p.EndSection();

        p.BeginSection(SnapshotFormat.Section.ReplayBytes);
        p.Raw(snapshot.ReplayBytes);
        p.EndSection();

        if (snapshot.Session is { } session)
        {
            p.BeginSection(SnapshotFormat.Section.Session);
            p.String(session.Id);
            p.Int64(session.CreatedUnixMs);
            p.NullableString(session.ProtocolVersion);
            p.NullableString(session.ClientInfoJson);
            p.NullableString(session.CapabilitiesJson);
            p.Bool(session.Initialized);
            p.Int32(session.RestartsSurvived);
            p.NullableString(session.LoggingLevel);
            p.EndSection();
        }

        p.BeginSection(SnapshotFormat.Section.RateLimits);
        p.Int32(snapshot.RateLimits.Count);
        foreach (var entry in snapshot.RateLimits)
        {
            p.String(entry.ClientKey);
            p.String(entry.Tool);
            p.Int64(entry.AdmittedUnixMs);
        }
        p.EndSection();

        if (snapshot.SuspendedSubtasks.Count > 0)
        {
            p.BeginSection(SnapshotFormat.Section.SuspendedSubtasks);
            if (formatVersion == 1) SnapshotMigration.WriteSuspendedSubtasksV1(p, snapshot.SuspendedSubtasks);
            else PackedIdList.Write(p, snapshot.SuspendedSubtasks);
            p.EndSection();
        }

        // Releases that wrote formats 1 and 2 had no subscriptions: a build emulating them writes none either.
        if (formatVersion >= 3 && snapshot.Subscriptions is { Uris.Count: > 0 } subscriptions)
        {
            p.BeginSection(SnapshotFormat.Section.Subscriptions);
            p.Int64(subscriptions.ChangeMark);
            p.Int32(subscriptions.Uris.Count);
            foreach (var uri in subscriptions.Uris) p.String(uri);
            p.EndSection();
        }

        if (snapshot.HttpSessions.Count > 0)
        {
            p.BeginSection(SnapshotFormat.Section.HttpSessions);
            p.Int32(snapshot.HttpSessions.Count);
            foreach (var httpSession in snapshot.HttpSessions)
            {
                p.String(httpSession.Id);
                p.String(httpSession.InitializeParamsJson);
                p.Int64(httpSession.CreatedUnixMs);
                p.Int32(httpSession.RestartsSurvived);
            }
            p.EndSection();
        }

        // Like subscriptions, unknown to the releases that wrote formats 1 and 2.
        if (formatVersion >= 3 && snapshot.HttpEventStreams.Length > 0)
        {
            p.BeginSection(SnapshotFormat.Section.HttpEventStreams);
            p.Raw(snapshot.HttpEventStreams);
            p.EndSection();
        }
        if (formatVersion >= 3 && snapshot.HttpSubscriptions.Length > 0)
        {
            p.BeginSection(SnapshotFormat.Section.HttpSubscriptions);
            p.Raw(snapshot.HttpSubscriptions);
            p.EndSection();
        }

        if (snapshot.Lineage is { } lineage)
        {
            p.BeginSection(SnapshotFormat.Section.Lineage);
            p.Int32(lineage.Generation);
            p.Int32(lineage.Served.Count);
            foreach (var list in lineage.Served)
            {
                p.String(list.Kind);
                p.Int64(unchecked((long)list.Fingerprint));
            }
            p.EndSection();
        }

        var body = payload.WrittenSpan;
        var file = new byte[SnapshotFormat.HeaderSize + body.Length];
        var header = file.AsSpan(0, SnapshotFormat.HeaderSize);
        SnapshotFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], formatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], snapshot.StatePreserved ? SnapshotFormat.FlagStatePreserved : (ushort)0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], SnapshotFormat.HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], (ulong)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], Crc32C.Compute(body));
        BinaryPrimitives.WriteUInt64LittleEndian(header[32..], dataDirectoryId);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], createdUnixMs);
        BinaryPrimitives.WriteInt32LittleEndian(header[48..], pid);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], HeaderChecksum(header));
        body.CopyTo(file.AsSpan(SnapshotFormat.HeaderSize));
        return file;
    }

    /// <summary>The header's CRC covers bytes 0..27 and 32..63, i.e. everything but its own field.</summary>
    public static uint HeaderChecksum(ReadOnlySpan<byte> header)
    {
        Span<byte> copy = stackalloc byte[SnapshotFormat.HeaderSize];
        header[..SnapshotFormat.HeaderSize].CopyTo(copy);
        copy.Slice(28, 4).Clear();
        return Crc32C.Compute(copy);
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically with owner-only permissions.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            BufferSize = 0,
        };
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                // A pre-existing temporary file keeps its mode on truncation; force 0600.
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                stream.Write(bytes);
            }
            // No fsync: the snapshot is read back by the next image of this same process right away, through the
            // page cache; it has no value after a machine crash, where durable state in SQLite takes over.
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A disk that filled up mid-write leaves a partial file: remove it, whatever failed.
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    internal sealed class Encoder(ArrayBufferWriter<byte> output)
    {
        private int _sectionLengthAt = -1;

        public void BeginSection(SnapshotFormat.Section tag)
        {
            UInt16((ushort)tag);
            _sectionLengthAt = output.WrittenCount;
            Int32(0);
        }

        public void EndSection()
        {
            // ArrayBufferWriter exposes only the written span read-only; patch the length through the underlying memory.
            var length = output.WrittenCount - _sectionLengthAt - 4;
            var written = System.Runtime.InteropServices.MemoryMarshal.AsMemory(output.WrittenMemory);
            BinaryPrimitives.WriteInt32LittleEndian(written.Span[_sectionLengthAt..], length);
        }

        public void UInt16(ushort value) { BinaryPrimitives.WriteUInt16LittleEndian(output.GetSpan(2), value); output.Advance(2); }
        public void Int32(int value) { BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value); output.Advance(4); }
        public void Int64(long value) { BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value); output.Advance(8); }
        public void Byte(byte value) { output.GetSpan(1)[0] = value; output.Advance(1); }
        public void Bool(bool value) { output.GetSpan(1)[0] = value ? (byte)1 : (byte)0; output.Advance(1); }
        public void Raw(ReadOnlySpan<byte> bytes) { Int32(bytes.Length); output.Write(bytes); }
        public void String(string value) => Raw(Encoding.UTF8.GetBytes(value));

        /// <summary>A <c>u16</c> length and the UTF-8 bytes, encoded in place (ids: many and short).</summary>
        public void ShortString(string value)
        {
            var span = output.GetSpan(2 + Encoding.UTF8.GetMaxByteCount(value.Length));
            var length = Encoding.UTF8.GetBytes(value, span[2..]);
            if (length > ushort.MaxValue) throw new ArgumentException($"a string of {length} bytes does not fit a u16 length", nameof(value));
            BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)length);
            output.Advance(2 + length);
        }

        public void NullableString(string? value)
        {
            if (value is null) Int32(-1);
            else String(value);
        }
    }
}
