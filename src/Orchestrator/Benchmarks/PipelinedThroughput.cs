using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Benchmarks;

/// <summary>
/// Pipelined <c>tools/call</c> throughput over stdio: a window of calls kept in flight (a new one sent as each answer
/// arrives), timed from the first send to the last answer. Every answer is checked to be a successful tool result.
/// </summary>
internal static class PipelinedThroughput
{
    public sealed record Result(string Tool, int Calls, int InFlight, double Seconds)
    {
        public double CallsPerSecond => Calls / Seconds;

        public void Write(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("tool", Tool);
            writer.WriteNumber("calls", Calls);
            writer.WriteNumber("in_flight", InFlight);
            writer.WriteNumber("seconds", Math.Round(Seconds, 3));
            writer.WriteNumber("calls_per_second", Math.Round(CallsPerSecond));
            writer.WriteEndObject();
        }
    }

    public static Result Measure(BenchClient server, string tool, string argumentsJson, int calls, int inFlight)
    {
        // Frames are encoded before the clock starts, so that the client's own work is mostly reading.
        var frames = new byte[calls][];
        for (var i = 0; i < calls; i++)
            frames[i] = Encoding.UTF8.GetBytes(
                $$$"""{"jsonrpc":"2.0","id":"t{{{i}}}","method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{argumentsJson}}}}}""" + "\n");
        var sent = 0;
        var answered = 0;
        var started = Stopwatch.GetTimestamp();
        while (sent < Math.Min(inFlight, calls)) server.WriteRaw(frames[sent++]);
        while (answered < calls)
        {
            var line = server.ReadLine();
            if (!line.Contains("\"result\"", StringComparison.Ordinal) || line.Contains("\"isError\":true", StringComparison.Ordinal))
                throw new InvalidOperationException($"{tool} failed under load: {line}");
            answered++;
            if (sent < calls) server.WriteRaw(frames[sent++]);
        }
        return new Result(tool, calls, inFlight, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
