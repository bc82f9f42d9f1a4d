using System.Runtime.Versioning;

// The server assembly is Linux-only ([assembly: SupportedOSPlatform("linux")]); so are its tests.
[assembly: SupportedOSPlatform("linux")]
