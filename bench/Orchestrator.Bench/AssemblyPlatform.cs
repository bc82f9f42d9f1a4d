using System.Runtime.Versioning;

// The server assembly is Linux-only ([assembly: SupportedOSPlatform("linux")]); so are its benchmarks.
[assembly: SupportedOSPlatform("linux")]
