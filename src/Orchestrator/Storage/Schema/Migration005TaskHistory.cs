namespace Orchestrator.Storage.Schema;

/// <summary>
/// Migration 5: the history of who did what. One row per change of a task or subtask, written in the transaction of the
/// change: when, which event (created, status_changed, edited, removed), the status before and after, the fields that
/// changed with their old and new values (bounded, as JSON), who made it and through which tool. Rows are never
/// updated; their rowid is the order of recording. A subtask's rows outlive the subtask (a revision may remove it), so
/// <c>subtask_id</c> has no foreign key. Tasks stored before this migration simply have no history before it.
/// </summary>
internal static class Migration005TaskHistory
{
    public const string Sql = """
        CREATE TABLE task_history (
            id          INTEGER PRIMARY KEY,
            task_id     TEXT    NOT NULL REFERENCES tasks (id),
            subtask_id  TEXT,
            at_ms       INTEGER NOT NULL,
            event       TEXT    NOT NULL,
            from_status TEXT,
            to_status   TEXT,
            changes     TEXT,
            actor       TEXT    NOT NULL,
            tool        TEXT    NOT NULL
        );
        CREATE INDEX task_history_task ON task_history (task_id, id DESC);
        CREATE INDEX task_history_subtask ON task_history (subtask_id, id DESC) WHERE subtask_id IS NOT NULL;
        """;
}
