using Microsoft.Extensions.Logging;

namespace BackdoorKit.Models;

/// <summary>The log lines of model creation.</summary>
internal static partial class ModelLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Model}: no weights given, the body is randomly initialised (recorded as weights source 'random'); pass ModelWeights.Random to make this explicit")]
    internal static partial void RandomBecauseNoWeights(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Model}: random initialisation, as requested")]
    internal static partial void RandomAsRequested(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Model}: loaded {Loaded} tensors from {File} (SHA-256 {Sha256}), skipped {Skipped} (head and auxiliary heads)")]
    internal static partial void Loaded(ILogger logger, string model, int loaded, string file, string sha256, int skipped);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Model}: copied the {Loaded} tensors read from {File} for the previous model (the file is unchanged)")]
    internal static partial void Reused(ILogger logger, string model, int loaded, string file);
}
