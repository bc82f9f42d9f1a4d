using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Http;

/// <summary>
/// The server side of a loopback TCP connection as the kernel reports it (<c>/proc/net/tcp</c>): how many bytes the
/// client sent that the server process has not read yet. Lets a test know that the server took bytes off the socket
/// (a signal from the kernel) before it acts on that.
/// </summary>
internal static class ServerSocketQueue
{
    /// <summary>Completes once the server's socket for the connection from <paramref name="client"/> has no unread bytes.</summary>
    public static async Task WaitUntilReadAsync(int serverPort, Socket client)
    {
        var clientPort = ((IPEndPoint)client.LocalEndPoint!).Port;
        var deadline = DateTime.UtcNow + McpStdioClient.AnswerTimeout;
        while (UnreadBytes(serverPort, clientPort) is not 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the server never read what port {clientPort} sent");
            await Task.Delay(5); // the kernel's table is the signal; there is no event to wait on

        }
    }

    /// <summary>Bytes in the receive queue of the server's socket (local port <paramref name="serverPort"/>, peer port <paramref name="clientPort"/>); null when there is no such socket.</summary>
    private static long? UnreadBytes(int serverPort, int clientPort)
    {
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            // sl local_address rem_address st tx_queue:rx_queue ...
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (Port(fields[1]) != serverPort || Port(fields[2]) != clientPort) continue;
            return long.Parse(fields[4].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return null;
    }

    private static int Port(string address) => int.Parse(address[(address.IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
