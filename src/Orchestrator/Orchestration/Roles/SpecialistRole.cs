using Orchestrator.Orchestration.Contract;

namespace Orchestrator.Orchestration;

/// <summary>A specialist a subtask is assigned to: its name, a one-line description, and the prompt given when it executes.</summary>
public sealed record SpecialistRole(string Name, string Description, string Prompt, RoleSource Source);
