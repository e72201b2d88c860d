using BackdoorKit.Runtime;
using ReproducePaper.Cli;
using ReproducePaper.Commands;

using System.Runtime.InteropServices;

namespace ReproducePaper;

/// <summary>The command-line study: see <c>ReproducePaper help</c> and docs/reproducing-the-paper.md.</summary>
internal static class Program
{
    private const string Usage = """
        ReproducePaper: the systematic backdoor-trigger study of the paper, resumable and reproducible.

          data    --dataset mnist|cifar10|tinyimagenet|folder --path DIR [--json]
          preview --dataset NAME --path DIR --index I --size F --position top-left|top-right|middle|bottom-left|bottom-right
                  --color black|white|green|#RRGGBB --protocol paper-text|seed-code --out FILE.png
          plan    --preset quick|paper | --matrix FILE.json [--json] [--no-calibration] [--budget SECONDS] [--threads N]
                  [--shards N --slurm FILE.sh [--gpus N|TYPE:N] [--cpus-per-task N] [--mem 32G] [--time D-HH:MM:SS]
                  [--partition P] [--account A] [--sbatch-arg NAME[=VALUE]]... [--data DIR] [--weights DIR]
                  [--device auto|cpu|cuda|cuda:N]]
          run     --preset quick|paper | --matrix FILE.json --out DIR [--shard i/N] [--parallel N] [--threads N]
                  [--device auto|cpu|cuda|cuda:N] [--data DIR] [--weights DIR]
          status  --out DIR
          merge   --out DIR --from DIR1 DIR2 ... [--shards N [--slurm FILE.sh]]
          export  --out DIR --format csv|json|sqlite --file FILE [--failures]
          report  --out DIR [--asr excluding-target|including-target]
          explain --out DIR [--experiment ID] [--index I] [--data DIR] [--weights DIR] [--channels N]

        Exit codes: 0 success; 1 failure of the machine, runtime or store; 2 bad input, unreadable data or weights;
        3 the study finished but some experiments failed (a rerun retries them); 130 cancelled.
        """;

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

    /// <summary>Runs one command and maps failures to exit codes and a one-line message on stderr.</summary>
    /// <param name="args">The process arguments.</param>
    /// <param name="cancellationToken">Stops long commands.</param>
    /// <returns>The exit code.</returns>
    internal static int Execute(string[] args, CancellationToken cancellationToken)
    {
        try
        {
            if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
            {
                Console.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            CommandLine line = CommandLine.Parse(args);
            return line.Command switch
            {
                "data" => DataCommand.Run(line, cancellationToken),
                "preview" => PreviewCommand.Run(line, cancellationToken),
                "plan" => PlanCommand.Run(line, cancellationToken),
                "run" => RunCommand.Run(line, cancellationToken),
                "status" => StatusCommand.Run(line),
                "merge" => MergeCommand.Run(line),
                "export" => ExportCommand.Run(line),
                "report" => ReportCommand.Run(line),
                "explain" => ExplainCommand.Run(line, cancellationToken),
                _ => throw new UsageException($"unknown command '{line.Command}'; run 'ReproducePaper help'"),
            };
        }
        catch (Exception e) when (ExitCodes.Map(e) is not null)
        {
            (int code, string message) = ExitCodes.Map(e)!.Value;
            return Fail(code, message);
        }
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
        return code;
    }
}
