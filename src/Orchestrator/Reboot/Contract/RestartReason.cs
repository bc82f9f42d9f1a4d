namespace Orchestrator.Reboot.Contract;

/// <summary>Why a restart was requested; on the wire as snake_case (<c>manual_request</c>).</summary>
public enum RestartReason
{
    ConfigurationUpdate,
    SchemaMigration,
    ErrorRecovery,
    ManualRequest,
    EmergencyShutdown,
}
