using Orchestrator.Orchestration.Export;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>Characters a task tool's answer may have.</summary>
    public int Budget => _budget;

    /// <summary>
    /// The whole store, or one session of it, as an export document, read in one transaction so that its rows agree.
    /// NOT_FOUND for an unknown session.
    /// </summary>
    public (ExportDocument? Export, ToolError? Error) Export(string? sessionId, string serverVersion)
    {
        const string phase = "export";
        try
        {
            return _database.Read(c =>
            {
                using var transaction = c.BeginTransaction(deferred: true);
                var sql = new Sql(c, transaction);
                if (sessionId is not null) SessionOrThrow(sql, sessionId, phase);
                return ((ExportDocument?)StoreExporter.Read(sql, sessionId, Now(), serverVersion), (ToolError?)null);
            });
        }
        catch (OrchestrationException ex)
        {
            return (null, ex.Error);
        }
        catch (StoreFaultException ex)
        {
            return (null, ex.ToToolError(phase));
        }
    }

    /// <summary>Writes an export into this store in one transaction, or refuses it (<see cref="ImportRefusedException"/>) changing nothing.</summary>
    public ImportSummary Import(ExportDocument export, IdMode mode) =>
        _database.Write((c, t) => StoreImporter.Import(new Sql(c, t), export, mode, _newId));
}
