using Spectre.Console;

namespace ReproducePaper.Cli;

/// <summary>Writes tables and progress: Spectre.Console widgets on a terminal, plain lines when output is redirected.</summary>
internal static class Terminal
{
    /// <summary>Gets a value indicating whether stdout is an interactive terminal.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Writes a table.</summary>
    /// <param name="title">The table's title.</param>
    /// <param name="headers">The column headers.</param>
    /// <param name="rows">The rows.</param>
    public static void Table(string title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        if (!Interactive)
        {
            Console.WriteLine($"# {title}");
            Console.WriteLine(string.Join('\t', headers));
            foreach (IReadOnlyList<string> row in rows)
            {
                Console.WriteLine(string.Join('\t', row));
            }

            return;
        }

        var table = new Table().Title(Markup.Escape(title)).Border(TableBorder.Rounded);
        foreach (string header in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }

        foreach (IReadOnlyList<string> row in rows)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        AnsiConsole.Write(table);
    }

    /// <summary>Writes one line of information.</summary>
    /// <param name="text">The text.</param>
    public static void Line(string text) => Console.WriteLine(text);
}
