using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Storage;

namespace Orchestrator.Benchmarks;

/// <summary>
/// Fills a data directory's store with <c>count</c> tasks in one transaction, through the same repositories the tools
/// use (the search index fills itself through its triggers), so that benchmarks measure against a large store: a
/// tenth of the tasks open (half planned, half in progress: one ready subtask each), most completed (with an artifact
/// and a result summary per subtask), a few cancelled; priorities and tags spread over them; titles, descriptions and
/// summaries drawn from a vocabulary of 2,000 made-up words, so that such a word matches about 1,200 of the 300,000
/// search documents, and each title also carries one of 50,000 rarer words (in about two tasks each).
/// </summary>
internal static class TaskStoreSeeder
{
    public const int VocabularySize = 2_000;

    /// <summary>The rarer words follow the common ones: <c>Word(VocabularySize + k)</c> for k below this.</summary>
    public const int RareVocabularySize = 50_000;

    /// <summary>The <paramref name="n"/>-th made-up word (e.g. "bakedo"), distinct for every n below 343,000: two or three syllables.</summary>
    public static string Word(int n)
    {
        const string consonants = "bdfgklmnprstvz";
        const string vowels = "aeiou";
        var word = new System.Text.StringBuilder();
        for (var syllable = 0; syllable < 3; syllable++)
        {
            word.Append(consonants[n % consonants.Length]).Append(vowels[n / consonants.Length % vowels.Length]);
            n /= consonants.Length * vowels.Length;
            if (n == 0 && syllable >= 1) break;
        }
        return word.ToString();
    }

    public static void Seed(string dataDirectory, int count, string workingDirectory)
    {
        if (count == 0) return;
        // The seeded store is made as the server makes its own (0700 directory, 0600 files), so the server started on it
        // for the measurement has nothing to warn about.
        PrivateFiles.RestrictProcessUmask();
        Directory.CreateDirectory(dataDirectory);
        using var database = Database.Open(Path.Combine(dataDirectory, "orchestrator.db"));
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var random = new Random(12);
        string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => Word(random.Next(VocabularySize))));
        // On a terminal, how far the seed is (a large one takes a while); nothing on a pipe.
        using var progress = new Hosting.TerminalProgress();
        database.Write((c, t) =>
        {
            var sql = new Sql(c, t);
            var session = new Session { Id = "sess_seed0000000", WorkingDirectory = workingDirectory, CreatedAt = now, LastActiveAt = now };
            SessionRepository.Insert(sql, session);
            for (var i = 0; i < count; i++)
            {
                var taskId = $"task_seed{i:x8}";
                var state = (i % 20) switch { 0 => TaskState.Planned, 1 => TaskState.InProgress, 2 => TaskState.Cancelled, _ => TaskState.Completed };
                var at = now.AddMilliseconds(-count + i);
                var task = new WorkTask
                {
                    Id = taskId, SessionId = session.Id, Title = $"Seeded task {i}: {Words(2)} {Word(VocabularySize + random.Next(RareVocabularySize))}",
                    Description = $"Benchmark data about {Words(6)}",
                    Status = state, Complexity = Complexity.Medium, Priority = (Priority)(i % 4), Tags = [$"area-{i % 50}"],
                    CreatedAt = at, UpdatedAt = at,
                };
                TaskRepository.Insert(sql, task);
                progress.Count("seeding tasks", i + 1, count);
                for (var position = 1; position <= 2; position++)
                {
                    var status = state switch
                    {
                        TaskState.Completed => SubtaskStatus.Completed,
                        TaskState.InProgress => position == 1 ? SubtaskStatus.Completed : SubtaskStatus.Pending,
                        TaskState.Cancelled => SubtaskStatus.Cancelled,
                        _ => SubtaskStatus.Pending,
                    };
                    var id = $"sub_seed{i:x8}{position}";
                    var done = status == SubtaskStatus.Completed;
                    var subtask = new Subtask
                    {
                        Id = id, TaskId = taskId, Position = position, Key = position.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Title = position == 1 ? "Design" : "Build", Description = $"Benchmark step about {Words(4)}", Role = position == 1 ? "architect" : "implementer",
                        Complexity = Complexity.Low, Status = status, ResultSummary = done ? $"Done: {Words(4)}" : null,
                        ArtifactType = done ? ArtifactType.Code : null, FilePaths = done ? [$"src/seed/{i}/{position}.cs"] : [],
                        DependsOn = position == 1 ? [] : [$"sub_seed{i:x8}1"],
                        // What TaskLifecycle would keep: the build waits on the design until it is completed.
                        UnmetDependencies = position == 2 && state is TaskState.Planned or TaskState.Cancelled ? 1 : 0,
                        Dependants = position == 1 && state is TaskState.Planned or TaskState.InProgress ? 1 : 0,
                        CreatedAt = at, UpdatedAt = at,
                    };
                    SubtaskRepository.Insert(sql, subtask, task);
                    SubtaskRepository.InsertDependencies(sql, subtask);
                    if (done)
                        ArtifactRepository.Insert(sql, new Artifact
                        {
                            Id = $"art_seed{i:x8}{position}", SubtaskId = id, Type = ArtifactType.Code, CreatedAt = at,
                            Content = $"The detailed work of seeded task {i}, step {position}: {Words(30)}",
                        });
                }
            }
            return 0;
        });
        // Fold the seed into the database file, as a store that has lived for a while would be, rather than leaving a
        // WAL of the whole seed for the server's first query to index.
        progress.Step("folding the seed into the database file");
        database.Read(c =>
        {
            Database.Execute(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            return 0;
        });
    }
}
