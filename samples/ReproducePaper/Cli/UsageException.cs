namespace ReproducePaper.Cli;

/// <summary>Bad command-line input or unreadable data: printed as one line on stderr, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
