using System.Buffers.Binary;
using System.Text.Json;

namespace BackdoorKit.Models;

/// <summary>
/// Checks a safetensors file's header against the file before any tensor is allocated or read: every entry must have
/// a known dtype, a non-negative shape, and data offsets that lie inside the data section and span exactly the bytes
/// its shape and dtype need. A header that lies (offsets past the end, negative or huge sizes) would otherwise make the
/// reader allocate or read whatever it says.
/// </summary>
internal static class SafetensorsHeader
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100L * 1024 * 1024; // the format's own limit
    private const long MaxTensorBytes = int.MaxValue; // the most the reader can hold in one array

    private static readonly Dictionary<string, int> ElementBytes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>Throws unless the header of a safetensors file describes tensors the file really holds.</summary>
    /// <param name="path">The file (at least 9 bytes: the header length and the header's first byte).</param>
    /// <returns>The header's string metadata (<c>__metadata__</c>); empty when it has none.</returns>
    /// <exception cref="ModelWeightsException">The header is inconsistent with the file; the message says how.</exception>
    internal static IReadOnlyDictionary<string, string> Check(string path)
    {
        byte[] json;
        long dataBytes;
        using (FileStream stream = File.OpenRead(path))
        {
            Span<byte> prefix = stackalloc byte[sizeof(ulong)];
            stream.ReadExactly(prefix);
            ulong headerBytes = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            long available = stream.Length - sizeof(ulong);
            if (headerBytes > (ulong)Math.Min(available, MaxHeaderBytes))
            {
                throw Corrupt(
                    path, $"the header length is {headerBytes} bytes but {available} bytes follow it", $"a header of at most {Math.Min(available, MaxHeaderBytes)} bytes");
            }

            json = new byte[headerBytes];
            stream.ReadExactly(json);
            dataBytes = available - (long)headerBytes;
        }

        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"the header is not valid JSON ({e.Message})", "a JSON object");
        }

        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Corrupt(path, $"the header is a JSON {header.RootElement.ValueKind}", "a JSON object");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name != MetadataKey)
                {
                    CheckEntry(path, entry.Name, entry.Value, dataBytes);
                }
                else if (entry.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (JsonProperty item in entry.Value.EnumerateObject().Where(i => i.Value.ValueKind == JsonValueKind.String))
                    {
                        metadata[item.Name] = item.Value.GetString()!;
                    }
                }
            }

            return metadata;
        }
    }

    /// <summary>Gets the safetensors dtype of a tensor element type, or null when the format has none.</summary>
    internal static string? DType(TorchSharp.torch.ScalarType type) => type switch
    {
        TorchSharp.torch.ScalarType.Float64 => "F64",
        TorchSharp.torch.ScalarType.Float32 => "F32",
        TorchSharp.torch.ScalarType.Float16 => "F16",
        TorchSharp.torch.ScalarType.BFloat16 => "BF16",
        TorchSharp.torch.ScalarType.Int64 => "I64",
        TorchSharp.torch.ScalarType.Int32 => "I32",
        TorchSharp.torch.ScalarType.Int16 => "I16",
        TorchSharp.torch.ScalarType.Int8 => "I8",
        TorchSharp.torch.ScalarType.Byte => "U8",
        TorchSharp.torch.ScalarType.Bool => "BOOL",
        _ => null,
    };

    /// <summary>
    /// Writes named tensors and string metadata as a safetensors file: the header (8-byte little-endian length, then JSON
    /// padded with spaces to a multiple of 8 bytes) and the tensors' bytes in the given order. Writes a temporary file
    /// beside the target and moves it into place, so a reader never sees half a file.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="tensors">The tensors by name, in file order; any device, copied to the CPU.</param>
    /// <param name="metadata">String metadata, stored under <c>__metadata__</c>.</param>
    /// <exception cref="ArgumentException">A tensor's element type has no safetensors dtype.</exception>
    internal static void Write(string path, IReadOnlyList<(string Name, TorchSharp.torch.Tensor Tensor)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var data = new List<byte[]>(tensors.Count);
        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteStartObject(MetadataKey);
            foreach ((string key, string value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            long offset = 0;
            foreach ((string name, TorchSharp.torch.Tensor tensor) in tensors)
            {
                string dtype = DType(tensor.dtype) ?? throw new ArgumentException($"tensor '{name}' is {tensor.dtype}, which safetensors cannot hold.", nameof(tensors));
                using TorchSharp.torch.Tensor cpu = tensor.detach().cpu().contiguous();
                byte[] bytes = cpu.bytes.ToArray();
                data.Add(bytes);
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (long dimension in tensor.shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes.Length;
            }

            json.WriteEndObject();
        }

        while (header.Length % 8 != 0)
        {
            header.WriteByte((byte)' ');
        }

        string temporary = path + ".tmp";
        using (FileStream file = File.Create(temporary))
        {
            Span<byte> length = stackalloc byte[sizeof(ulong)];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            file.Write(length);
            header.Position = 0;
            header.CopyTo(file);
            foreach (byte[] bytes in data)
            {
                file.Write(bytes);
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static void CheckEntry(string path, string name, JsonElement entry, long dataBytes)
    {
        string what = $"tensor '{name}'";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Corrupt(path, $"{what} is a JSON {entry.ValueKind}", "an object with dtype, shape and data_offsets");
        }

        string? dtype = entry.TryGetProperty("dtype", out JsonElement dtypeElement) && dtypeElement.ValueKind == JsonValueKind.String
            ? dtypeElement.GetString()
            : null;
        if (dtype is null || !ElementBytes.TryGetValue(dtype, out int elementBytes))
        {
            throw Corrupt(path, $"{what} has dtype '{dtype}'", $"one of {string.Join(", ", ElementBytes.Keys)}");
        }

        long[] shape = Integers(entry, "shape")
            ?? throw Corrupt(path, $"{what} has no valid shape", "a list of non-negative integers");
        long[] offsets = Integers(entry, "data_offsets") is { Length: 2 } pair
            ? pair
            : throw Corrupt(path, $"{what} has no valid data_offsets", "two non-negative integers [begin, end]");
        (long begin, long end) = (offsets[0], offsets[1]);
        if (begin > end || end > dataBytes)
        {
            throw Corrupt(
                path, $"{what} has data_offsets [{begin}, {end}] but the data section has {dataBytes} bytes", $"0 <= begin <= end <= {dataBytes}");
        }

        long? needed = ByteCount(shape, elementBytes);
        string shapeText = $"[{string.Join(",", shape)}] {dtype}";
        if (needed is null or > MaxTensorBytes)
        {
            throw Corrupt(path, $"{what} of shape {shapeText} needs more than {MaxTensorBytes} bytes", "tensors under 2 GiB");
        }

        if (needed != end - begin)
        {
            throw Corrupt(
                path, $"{what} of shape {shapeText} needs {needed} bytes but its data_offsets span {end - begin}", "offsets that span exactly the tensor's bytes");
        }
    }

    /// <summary>Reads a property that must be a list of non-negative integers.</summary>
    private static long[]? Integers(JsonElement entry, string property)
    {
        if (!entry.TryGetProperty(property, out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var values = new long[list.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
            {
                return null;
            }

            values[i++] = value;
        }

        return values;
    }

    /// <summary>The bytes a tensor needs, or null when the count overflows.</summary>
    private static long? ByteCount(long[] shape, int elementBytes)
    {
        if (shape.Contains(0))
        {
            return 0;
        }

        try
        {
            return shape.Aggregate((long)elementBytes, (product, side) => checked(product * side));
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static ModelWeightsException Corrupt(string path, string problem, string expected) => new(
        $"Weights file '{path}' has a corrupt safetensors header: {problem}; expected {expected}.", path);
}
