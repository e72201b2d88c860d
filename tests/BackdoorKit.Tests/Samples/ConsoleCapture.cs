using ReproducePaper;

namespace BackdoorKit.Tests.Samples;

/// <summary>Runs a <c>ReproducePaper</c> command in-process with its standard output captured.</summary>
internal static class ConsoleCapture
{
    /// <summary>Runs the command.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code and what the command wrote to standard output.</returns>
    public static (int Code, string Output) Execute(string[] args)
    {
        TextWriter original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            int code = Program.Execute(args, default);
            return (code, captured.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
