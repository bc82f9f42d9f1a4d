using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Orchestrator.Native;

namespace Orchestrator.Http;

/// <summary>
/// The TCP listening socket: bound once by the first image, then inherited by every image after it (its descriptor
/// crosses <c>execv</c> by number), so that no connection is refused while the process image is replaced: the kernel
/// keeps completing handshakes into the backlog, and the next image accepts them.
/// </summary>
internal sealed unsafe class ListeningSocket : IDisposable
{
    private const int Backlog = 512;
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    private readonly Socket _socket;

    private ListeningSocket(Socket socket) => _socket = socket;

    public int FileDescriptor => (int)_socket.Handle;
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public static ListeningSocket Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // SO_REUSEADDR only, so that a port still in TIME_WAIT from a previous run can be bound again. (.NET's
            // ReuseAddress option also sets SO_REUSEPORT on Linux, which would let a second server share the port.)
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
                socket.DualMode = true;
            socket.Bind(endPoint);
            socket.Listen(Backlog);
            return new ListeningSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Takes over the listening socket a previous image left open at descriptor <paramref name="fd"/>.</summary>
    public static ListeningSocket Adopt(int fd)
    {
        var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        if (!socket.IsBound || socket.SocketType != SocketType.Stream)
            throw new InvalidOperationException($"descriptor {fd} is not a bound stream socket");
        // Close-on-exec again until the next hand-over decides otherwise.
        Libc.SetCloseOnExec(fd, true);
        return new ListeningSocket(socket);
    }

    /// <summary>Waits until a connection is pending (or <paramref name="timeoutMs"/> passes) without accepting it.</summary>
    public bool WaitPending(int timeoutMs)
    {
        var poll = new Libc.PollFd { Fd = FileDescriptor, Events = Libc.POLLIN };
        var ready = Libc.poll(&poll, 1, timeoutMs);
        return ready > 0 && (poll.Revents & Libc.POLLIN) != 0;
    }

    /// <summary>accept4(2) without blocking; null when no connection was pending after all.</summary>
    public Socket? TryAccept()
    {
        var fd = Libc.accept4(FileDescriptor, null, null, Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Libc.EAGAIN or Libc.EINTR or Libc.ECONNABORTED) return null;
            throw new SocketException(errno);
        }
        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }

    public bool KeepAcrossExec() => Libc.SetCloseOnExec(FileDescriptor, false);

    public void CloseOnExec() => Libc.SetCloseOnExec(FileDescriptor, true);

    public void Dispose() => _socket.Dispose();
}
