using System.Runtime.CompilerServices;

// The tests check the generated registry (GeneratedTools, IToolHandlerSource) and readers (TryRead), which are internal.
[assembly: InternalsVisibleTo("Orchestrator.Tests")]
[assembly: InternalsVisibleTo("Orchestrator.Bench")]
