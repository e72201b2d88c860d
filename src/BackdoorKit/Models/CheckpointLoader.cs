using System.Buffers.Binary;
using System.Collections;
using System.Security.Cryptography;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>
/// Reads a PyTorch zip or safetensors checkpoint, drops the keys the model does not take (head, auxiliary heads),
/// checks every remaining key against the model (presence and shape, both ways) and every value for finiteness, and
/// only then copies the tensors. Safetensors headers are checked against the file before anything is allocated; pickles
/// are read by a restricted unpickler that builds tensors and dictionaries only and never runs code.
/// </summary>
internal static class CheckpointLoader
{
    /// <summary>The document that explains weights files and the one-time conversion of legacy checkpoints.</summary>
    internal const string WeightsDoc = "docs/weights.md";

    private const int KeysShown = 5;

    /// <summary>The outcome of a successful load.</summary>
    /// <param name="Sha256">The file's SHA-256, lower-case hexadecimal.</param>
    /// <param name="LoadedCount">How many tensors were copied into the model.</param>
    /// <param name="SkippedCount">How many checkpoint tensors were dropped (head, auxiliary heads).</param>
    internal readonly record struct Result(string Sha256, int LoadedCount, int SkippedCount);

    private enum CheckpointFormat
    {
        PyTorchZip,
        Safetensors,
    }

    /// <summary>Loads a checkpoint into a module.</summary>
    /// <param name="module">The freshly built model.</param>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="expectedSha256">The required SHA-256 (lower case), or null.</param>
    /// <param name="ignoredPrefixes">Key prefixes dropped from the checkpoint and not required from the model.</param>
    /// <returns>What was loaded.</returns>
    /// <exception cref="ModelWeightsException">The file cannot be used; the message says why.</exception>
    internal static Result Load(nn.Module module, string path, string? expectedSha256, IReadOnlyList<string> ignoredPrefixes)
    {
        string sha256 = VerifiedSha256(path, expectedSha256);
        Dictionary<string, Tensor> checkpoint = Read(path, DetectFormat(path));
        try
        {
            bool Ignored(string key) => ignoredPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal));
            Dictionary<string, Tensor> expected = module.state_dict()
                .Where(pair => !Ignored(pair.Key))
                .ToDictionary(pair => pair.Key, pair => pair.Value);
            Dictionary<string, Tensor> kept = checkpoint
                .Where(pair => !Ignored(pair.Key))
                .ToDictionary(pair => pair.Key, pair => pair.Value);
            Validate(path, expected, kept);
            RequireFinite(path, kept);

            using (no_grad())
            {
                (IList<string> missing, IList<string> unexpected) = module.load_state_dict(kept, strict: false);
                if (missing.Any(key => !Ignored(key)) || unexpected.Count > 0)
                {
                    throw new ModelWeightsException(
                        $"Weights file '{path}' did not load completely: {Describe("not loaded", [.. missing.Where(key => !Ignored(key))])}" +
                        $"{Describe("unexpected", [.. unexpected])}",
                        path);
                }
            }

            return new Result(sha256, kept.Count, checkpoint.Count - kept.Count);
        }
        finally
        {
            foreach (Tensor tensor in checkpoint.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Computes a weights file's SHA-256 and requires it to be the expected one, when one is given.</summary>
    /// <param name="path">The file.</param>
    /// <param name="expectedSha256">The required SHA-256 (lower case), or null.</param>
    /// <returns>The file's SHA-256, lower-case hexadecimal.</returns>
    /// <exception cref="ModelWeightsException">The hash differs; the message names the file and both hashes.</exception>
    internal static string VerifiedSha256(string path, string? expectedSha256)
    {
        string sha256 = ComputeSha256(path);
        if (expectedSha256 is not null && sha256 != expectedSha256)
        {
            throw new ModelWeightsException(
                $"Weights file '{path}' has SHA-256 {sha256}, expected {expectedSha256}: the file is not the one asked for (or is damaged).",
                path);
        }

        return sha256;
    }

    private static void Validate(string path, Dictionary<string, Tensor> expected, Dictionary<string, Tensor> checkpoint)
    {
        List<string> missing = [.. expected.Keys.Where(key => !checkpoint.ContainsKey(key))];
        List<string> unexpected = [.. checkpoint.Keys.Where(key => !expected.ContainsKey(key))];
        List<string> mismatched = [.. expected.Keys.Where(key => checkpoint.TryGetValue(key, out Tensor? found) && !found.shape.SequenceEqual(expected[key].shape))];
        if (missing.Count + unexpected.Count + mismatched.Count == 0)
        {
            return;
        }

        string shapes = string.Join("; ", mismatched.Take(KeysShown).Select(key =>
            $"{key} is [{string.Join(",", checkpoint[key].shape)}] in the file, [{string.Join(",", expected[key].shape)}] in the model"));
        throw new ModelWeightsException(
            $"Weights file '{path}' does not fit the model:{Describe("missing", missing)}{Describe("mis-shaped", mismatched)}" +
            $"{(mismatched.Count > 0 ? $" ({shapes})" : string.Empty)}{Describe("unexpected", unexpected)}",
            path,
            missing,
            mismatched,
            unexpected);
    }

    private static void RequireFinite(string path, Dictionary<string, Tensor> tensors)
    {
        List<string> bad = [];
        foreach ((string key, Tensor tensor) in tensors.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!tensor.is_floating_point() && !tensor.is_complex())
            {
                continue;
            }

            using var scope = NewDisposeScope();
            long count = tensor.isfinite().logical_not().sum().item<long>();
            if (count > 0)
            {
                bad.Add($"{key} ({count} of {tensor.numel()} values)");
            }
        }

        if (bad.Count > 0)
        {
            throw new ModelWeightsException(
                $"Weights file '{path}' holds NaN or infinite values:{Describe("non-finite", bad)} Expected finite numbers: " +
                "the file is damaged or was saved from a diverged model.",
                path);
        }
    }

    private static string Describe(string what, IReadOnlyList<string> keys) => keys.Count == 0
        ? string.Empty
        : $" {keys.Count} {what} key(s): {string.Join(", ", keys.Take(KeysShown))}{(keys.Count > KeysShown ? ", ..." : string.Empty)}.";

    private static string ComputeSha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static CheckpointFormat DetectFormat(string path)
    {
        Span<byte> head = stackalloc byte[9];
        long length;
        using (FileStream stream = File.OpenRead(path))
        {
            length = stream.Length;
            head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        }

        if (head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
        {
            return CheckpointFormat.PyTorchZip;
        }

        if (head.Length >= 1 && head[0] == 0x80)
        {
            throw new ModelWeightsException(
                $"Weights file '{path}' is a legacy (pre-zip) PyTorch checkpoint, which BackdoorKit cannot read. Convert it " +
                $"once to safetensors with the five-line Python snippet in {WeightsDoc}, and use the .safetensors file.",
                path);
        }

        if (head.Length == 9 && head[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(head) is var header && header < (ulong)length - 8)
        {
            return CheckpointFormat.Safetensors;
        }

        throw new ModelWeightsException(
            $"Weights file '{path}' is neither a PyTorch zip checkpoint nor a safetensors file ({WeightsDoc}).", path);
    }

    private static Dictionary<string, Tensor> Read(string path, CheckpointFormat format)
    {
        try
        {
            if (format == CheckpointFormat.Safetensors)
            {
                SafetensorsHeader.Check(path);
                return Safetensors.LoadStateDict(path, null);
            }

            Hashtable table = PyTorchUnpickler.UnpickleStateDict(path);
            Dictionary<string, Tensor> result = [];
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is not string key || entry.Value is not Tensor tensor)
                {
                    DisposeAll(table);
                    throw new ModelWeightsException(
                        $"Weights file '{path}' is not a state dict (entry '{entry.Key}' is not a named tensor); save model.state_dict() ({WeightsDoc}).",
                        path);
                }

                result[key] = tensor;
            }

            return result;
        }
        catch (Exception e) when (e is not ModelWeightsException and not OutOfMemoryException)
        {
            throw new ModelWeightsException($"Weights file '{path}' cannot be read as {format}: {e.Message}", path, innerException: e);
        }
    }

    private static void DisposeAll(Hashtable table)
    {
        foreach (object? value in table.Values)
        {
            (value as IDisposable)?.Dispose();
        }
    }
}
