using System.Net;
using System.Net.Sockets;

namespace BackdoorKit.Tests.Data.Fixtures;

/// <summary>An in-process HTTP server on 127.0.0.1 that serves fixed files by name and answers 404 otherwise.</summary>
internal sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly IReadOnlyDictionary<string, byte[]> files;
    private readonly Task loop;

    public LoopbackFileServer(IReadOnlyDictionary<string, byte[]> files)
    {
        this.files = files;
        int port = FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}/data/");
        listener.Prefixes.Add(BaseUri.ToString());
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public Uri BaseUri { get; }

    public List<string> Requests { get; } = [];

    public void Dispose()
    {
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by an exception when the listener closes.
        }
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            string name = context.Request.Url!.Segments[^1];
            lock (Requests)
            {
                Requests.Add(name);
            }

            if (files.TryGetValue(name, out byte[]? body))
            {
                context.Response.StatusCode = 200;
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }
}
