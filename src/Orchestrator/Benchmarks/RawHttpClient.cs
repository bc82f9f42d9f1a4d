using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Benchmarks;

/// <summary>
/// The benchmark's HTTP/1.1 client: one keep-alive connection, POSTs with a JSON body and GETs, responses read whole
/// (Content-Length or chunked). Written on a bare socket so that the binary does not carry an HTTP client stack for
/// its benchmark, and so that what is measured is the server, not a client library.
/// </summary>
internal sealed class RawHttpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly string _hostHeader;
    private readonly string _path;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpClient(Socket socket, Uri url)
    {
        _socket = socket;
        _hostHeader = url.Authority;
        _path = url.AbsolutePath;
    }

    public static async Task<RawHttpClient> ConnectAsync(Uri url)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(url.Host), url.Port));
        return new RawHttpClient(socket, url);
    }

    /// <summary>Sends a POST; returns the status, the response headers that matter here, and the body.</summary>
    public async Task<(int Status, string? SessionId, string Body)> PostAsync(string body, IEnumerable<(string Name, string Value)> headers)
    {
        var content = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder()
            .Append("POST ").Append(_path).Append(" HTTP/1.1\r\nHost: ").Append(_hostHeader)
            .Append("\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("Content-Length: ").Append(content.Length).Append("\r\n\r\n");
        await _socket.SendAsync((byte[])[.. Encoding.ASCII.GetBytes(head.ToString()), .. content]);
        return await ReadResponseAsync();
    }

    /// <summary>Sends a GET of <paramref name="pathAndQuery"/> on the same connection; the status and the body.</summary>
    public async Task<(int Status, string Body)> GetAsync(string pathAndQuery)
    {
        await _socket.SendAsync(Encoding.ASCII.GetBytes($"GET {pathAndQuery} HTTP/1.1\r\nHost: {_hostHeader}\r\n\r\n"));
        var (status, _, body) = await ReadResponseAsync();
        return (status, body);
    }

    private async Task<(int Status, string? SessionId, string Body)> ReadResponseAsync()
    {
        var status = 0;
        string? sessionId = null;
        int? length = null;
        var chunked = false;
        for (var line = await ReadLineAsync(); line.Length > 0; line = await ReadLineAsync())
        {
            if (status == 0) { status = int.Parse(line.AsSpan(9, 3)); continue; }
            var colon = line.IndexOf(':');
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) length = int.Parse(value);
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            else if (name.Equals("Mcp-Session-Id", StringComparison.OrdinalIgnoreCase)) sessionId = value;
        }
        var bodyBytes = new List<byte>();
        if (chunked)
        {
            while (true)
            {
                var size = Convert.ToInt32((await ReadLineAsync()).Split(';')[0], 16);
                if (size == 0) { await ReadLineAsync(); break; }
                bodyBytes.AddRange(await ReadExactlyAsync(size));
                await ReadLineAsync();
            }
        }
        else if (length is { } n)
        {
            bodyBytes.AddRange(await ReadExactlyAsync(n));
        }
        return (status, sessionId, Encoding.UTF8.GetString(bodyBytes.ToArray()));
    }

    private async Task<string> ReadLineAsync()
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf("\r\n"u8);
            if (newline >= 0)
            {
                var line = Encoding.ASCII.GetString(span[..newline]);
                _start += newline + 2;
                return line;
            }
            await FillAsync();
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end) await FillAsync();
            var take = Math.Min(count - copied, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(copied));
            _start += take;
            copied += take;
        }
        return result;
    }

    private async Task FillAsync()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) throw new InvalidOperationException("HTTP response line too long");
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end));
        if (read == 0) throw new IOException("the server closed the connection");
        _end += read;
    }

    public void Dispose() => _socket.Dispose();
}
