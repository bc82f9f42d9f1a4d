namespace Orchestrator.Storage.Schema;

/// <summary>
/// Migration 3: the workflow beyond "completed". Tasks get a priority and tags; subtasks get the review gate, the reason
/// for their status, notes for their next execution, inputs gone stale, and the readiness counts that rank the next
/// work. A subtask row also carries its task's session and priority, so that "next" reads the ready subtasks of all
/// tasks (or of one session) from one partial index, in rank order, without a sort (ties: older first, then plan order).
/// Existing rows are backfilled.
/// </summary>
internal static class Migration003TaskWorkflow
{
    public const string Sql = """
        ALTER TABLE tasks ADD COLUMN priority TEXT NOT NULL DEFAULT 'medium';
        CREATE TABLE task_tags (
            task_id TEXT NOT NULL REFERENCES tasks (id),
            tag     TEXT NOT NULL,
            PRIMARY KEY (task_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX task_tags_tag ON task_tags (tag, task_id);
        ALTER TABLE subtasks ADD COLUMN review_required    INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE subtasks ADD COLUMN status_reason      TEXT;
        ALTER TABLE subtasks ADD COLUMN revision_notes     TEXT;
        ALTER TABLE subtasks ADD COLUMN stale_inputs       TEXT;
        ALTER TABLE subtasks ADD COLUMN session_id         TEXT    NOT NULL DEFAULT '';
        ALTER TABLE subtasks ADD COLUMN task_priority      INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE subtasks ADD COLUMN unmet_dependencies INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE subtasks ADD COLUMN dependants         INTEGER NOT NULL DEFAULT 0;
        UPDATE subtasks SET
            session_id = (SELECT t.session_id FROM tasks t WHERE t.id = subtasks.task_id),
            unmet_dependencies = (SELECT count(*) FROM subtask_dependencies d JOIN subtasks dep ON dep.id = d.depends_on_id
                                  WHERE d.subtask_id = subtasks.id AND dep.status <> 'completed'),
            dependants = (SELECT count(*) FROM subtask_dependencies d JOIN subtasks w ON w.id = d.subtask_id
                          WHERE d.depends_on_id = subtasks.id AND w.status NOT IN ('completed', 'cancelled'));
        CREATE INDEX subtasks_ready ON subtasks (task_priority DESC, dependants DESC, created_at_ms, task_id, position)
            WHERE unmet_dependencies = 0 AND status IN ('pending', 'needs_revision');
        CREATE INDEX subtasks_session_ready ON subtasks (session_id, task_priority DESC, dependants DESC, created_at_ms, task_id, position)
            WHERE unmet_dependencies = 0 AND status IN ('pending', 'needs_revision');
        """;
}
