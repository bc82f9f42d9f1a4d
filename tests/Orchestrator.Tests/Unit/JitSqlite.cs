using System.Runtime.InteropServices;
using Orchestrator.Storage;

namespace Orchestrator.Tests.Unit;

/// <summary>Makes the server's SQLite store usable inside the (JIT-run) test process.</summary>
internal static class JitSqlite
{
    private static readonly Lazy<bool> Ready = new(Initialise, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void Ensure() => _ = Ready.Value;

    private static bool Initialise()
    {
        // The server links SQLite statically into its NativeAOT binary (DirectPInvoke "e_sqlite3"); under the JIT the
        // provider looks for a shared "e_sqlite3", which is not shipped, so map it to the system's libsqlite3.
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, (name, _, _) =>
                name == "e_sqlite3" && NativeLibrary.TryLoad("libsqlite3.so.0", out var handle) ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already installed for that assembly.
        }
        // Database.Open sets the SQLite provider on its first call only, and a concurrent second call does not wait
        // for it: open once here, before tests open databases in parallel.
        var warmUp = Path.Combine(Path.GetTempPath(), "orchestrator-unit-warmup-" + Guid.NewGuid().ToString("n") + ".db");
        using (Database.Open(warmUp)) { }
        foreach (var file in new[] { warmUp, warmUp + "-wal", warmUp + "-shm" }) File.Delete(file);
        return true;
    }
}
