namespace Orchestrator.Storage.Schema;

/// <summary>
/// Migration 4: ranked full-text search (SQLite FTS5, linked into the binary) over the titles and descriptions of tasks
/// and subtasks and the result summaries of subtasks. One search document per task and per subtask; its FTS rowid is
/// the INTEGER PRIMARY KEY of <c>search_documents</c>, which VACUUM never renumbers (the text ids of tasks and
/// subtasks have no stable rowid). Triggers keep the index in step with every write, whatever writes; existing rows
/// are indexed here.
/// </summary>
internal static class Migration004TaskSearch
{
    public const string Sql = """
        CREATE TABLE search_documents (
            id         INTEGER PRIMARY KEY,
            task_id    TEXT NOT NULL,
            subtask_id TEXT NOT NULL,
            UNIQUE (task_id, subtask_id)
        );
        CREATE VIRTUAL TABLE search_index USING fts5 (title, body, tokenize = 'porter unicode61 remove_diacritics 2');
        INSERT INTO search_index (search_index, rank) VALUES ('rank', 'bm25(4.0, 1.0)');

        CREATE TRIGGER tasks_search_insert AFTER INSERT ON tasks BEGIN
            INSERT INTO search_documents (task_id, subtask_id) VALUES (NEW.id, '');
            INSERT INTO search_index (rowid, title, body) VALUES (last_insert_rowid(), NEW.title, NEW.description);
        END;
        CREATE TRIGGER tasks_search_update AFTER UPDATE OF title, description ON tasks
        WHEN OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description BEGIN
            UPDATE search_index SET title = NEW.title, body = NEW.description
            WHERE rowid = (SELECT id FROM search_documents WHERE task_id = NEW.id AND subtask_id = '');
        END;
        CREATE TRIGGER tasks_search_delete AFTER DELETE ON tasks BEGIN
            DELETE FROM search_index WHERE rowid IN (SELECT id FROM search_documents WHERE task_id = OLD.id);
            DELETE FROM search_documents WHERE task_id = OLD.id;
        END;

        CREATE TRIGGER subtasks_search_insert AFTER INSERT ON subtasks BEGIN
            INSERT INTO search_documents (task_id, subtask_id) VALUES (NEW.task_id, NEW.id);
            INSERT INTO search_index (rowid, title, body)
                VALUES (last_insert_rowid(), NEW.title, NEW.description || char(10) || coalesce(NEW.result_summary, ''));
        END;
        CREATE TRIGGER subtasks_search_update AFTER UPDATE OF title, description, result_summary ON subtasks
        WHEN OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description OR OLD.result_summary IS NOT NEW.result_summary BEGIN
            UPDATE search_index SET title = NEW.title, body = NEW.description || char(10) || coalesce(NEW.result_summary, '')
            WHERE rowid = (SELECT id FROM search_documents WHERE task_id = NEW.task_id AND subtask_id = NEW.id);
        END;
        CREATE TRIGGER subtasks_search_delete AFTER DELETE ON subtasks BEGIN
            DELETE FROM search_index WHERE rowid = (SELECT id FROM search_documents WHERE task_id = OLD.task_id AND subtask_id = OLD.id);
            DELETE FROM search_documents WHERE task_id = OLD.task_id AND subtask_id = OLD.id;
        END;

        INSERT INTO search_documents (task_id, subtask_id) SELECT id, '' FROM tasks ORDER BY rowid;
        INSERT INTO search_documents (task_id, subtask_id) SELECT task_id, id FROM subtasks ORDER BY rowid;
        INSERT INTO search_index (rowid, title, body)
            SELECT d.id, t.title, t.description FROM search_documents d JOIN tasks t ON t.id = d.task_id WHERE d.subtask_id = '';
        INSERT INTO search_index (rowid, title, body)
            SELECT d.id, s.title, s.description || char(10) || coalesce(s.result_summary, '')
            FROM search_documents d JOIN subtasks s ON s.id = d.subtask_id;
        """;
}
