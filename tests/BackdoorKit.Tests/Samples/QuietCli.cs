using ReproducePaper;

namespace BackdoorKit.Tests.Samples;

/// <summary>Runs ReproducePaper commands in-process with their standard output discarded.</summary>
internal static class QuietCli
{
    /// <summary>Runs a command line and returns its exit code.</summary>
    public static int Execute(string[] args)
    {
        TextWriter output = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            return Program.Execute(args, default);
        }
        finally
        {
            Console.SetOut(output);
        }
    }

    /// <summary>Runs a command line and returns its exit code and what it wrote to standard output.</summary>
    public static (int Code, string Output) Capture(string[] args)
    {
        TextWriter output = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            return (Program.Execute(args, default), captured.ToString());
        }
        finally
        {
            Console.SetOut(output);
        }
    }
}
