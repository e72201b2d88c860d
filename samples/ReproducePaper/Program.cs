using BackdoorKit.Runtime;
using ReproducePaper.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

using System.Runtime.InteropServices;

namespace ReproducePaper;

/// <summary>The command-line study: see <c>ReproducePaper --help</c> and docs/reproducing-the-paper.md.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // Before anything else: on Linux with transparent huge pages in madvise mode, start again as the same process
        // with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (large tensors otherwise page-fault every step; docs/performance.md).
        // BACKDOORKIT_HUGE_PAGES=off opts out; an explicit glibc.malloc.hugetlb value is kept.
        HugePages.RestartWithHugePagesIfNeeded();

        using var cancellation = new CancellationTokenSource();
        void Stop(string signal)
        {
            Console.Error.WriteLine($"{signal}: stopping; finished results are kept, the experiments in flight are dropped (Ctrl+C again to abort)...");
            cancellation.Cancel();
        }

        Console.CancelKeyPress += (_, e) =>
        {
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                Stop("Ctrl+C");
            }
        };

        // A Slurm time limit or scancel sends SIGTERM: stop as cleanly as on Ctrl+C.
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (!cancellation.IsCancellationRequested)
            {
                Stop("SIGTERM");
            }
        });

        return Execute(args, cancellation.Token);
    }

    /// <summary>
    /// Runs one command and maps failures to exit codes and a one-line message on stderr. Without arguments it prints
    /// the help and exits 2; <c>help</c>, <c>--help</c> and <c>COMMAND --help</c> print help and exit 0.
    /// </summary>
    /// <param name="args">The process arguments.</param>
    /// <param name="cancellationToken">Stops long commands.</param>
    /// <returns>The exit code.</returns>
    internal static int Execute(string[] args, CancellationToken cancellationToken)
    {
        string[] arguments = CommandLineArguments.Normalize(args);
        try
        {
            int code = NewApp().Run(arguments, cancellationToken);
            return args.Length == 0 ? ExitCodes.BadInput : code;
        }
        catch (CommandAppException e) when (e is CommandParseException or CommandRuntimeException)
        {
            return Fail(ExitCodes.BadInput, ParseErrors.Describe(e, arguments));
        }
        catch (Exception e) when (ExitCodes.Map(e) is not null)
        {
            (int code, string message) = ExitCodes.Map(e)!.Value;
            return Fail(code, message);
        }
    }

    /// <summary>
    /// Builds the application: the commands, the checks of <see cref="OptionUseInterceptor"/> (unknown, repeated and blank
    /// options), exceptions left to <see cref="ExitCodes"/>, and help written to the current standard output.
    /// </summary>
    private static CommandApp NewApp()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("ReproducePaper");
            config.ConfigureConsole(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }));
            config.SetHelpProvider(new StudyHelpProvider(config.Settings));
            config.Settings.Registrar.Register<ICommandInterceptor, OptionUseInterceptor>();
            config.PropagateExceptions();
            config.ValidateExamples();
            CommandCatalog.AddTo(config);
        });
        return app;
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
        return code;
    }
}
