using ReproducePaper;

namespace BackdoorKit.Tests.Reliability;

/// <summary>Runs a ReproducePaper command in-process and captures its exit code, standard output and standard error.</summary>
internal static class ConsoleCapture
{
    private static readonly Lock Gate = new();

    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        lock (Gate)
        {
            TextWriter output = Console.Out, error = Console.Error;
            var capturedOutput = new StringWriter();
            var capturedError = new StringWriter();
            Console.SetOut(capturedOutput);
            Console.SetError(capturedError);
            try
            {
                int code = Program.Execute(args, default);
                return (code, capturedOutput.ToString(), capturedError.ToString());
            }
            finally
            {
                Console.SetOut(output);
                Console.SetError(error);
            }
        }
    }
}
