using System.Text.Json;

namespace Orchestrator.Tooling;

/// <summary>A value that writes itself as JSON without reflection; implemented by generated code.</summary>
public interface IJsonWritable
{
    void WriteJson(Utf8JsonWriter writer);
}
