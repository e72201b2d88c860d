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
}
