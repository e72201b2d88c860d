using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BackdoorKit.Experiments;

/// <summary>
/// Reads an <see cref="ExperimentMatrix"/> file strictly (<see cref="BackdoorKitJson.Strict"/>: a key no member maps is an
/// error, with the nearest known key as a suggestion), validates it and reports every problem as one line that starts
/// with the file.
/// </summary>
internal static class ExperimentMatrixReader
{
    /// <summary>Reads and validates a matrix file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="catalog">Where the matrix's names resolve.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="InvalidDataException">The file cannot be read or is not a valid matrix; the one-line message starts with the file.</exception>
    public static ExperimentMatrix Read(string path, ComponentCatalog catalog)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            if (stream.CanSeek && stream.Length > ExperimentMatrixLimits.MaxFileBytes)
            {
                throw new InvalidDataException(
                    $"the file has {MatrixText.Count(stream.Length)} bytes, more than the limit of {MatrixText.Count(ExperimentMatrixLimits.MaxFileBytes)}");
            }

            ExperimentMatrix matrix = JsonSerializer.Deserialize<ExperimentMatrix>(stream, BackdoorKitJson.Strict)
                ?? throw new InvalidDataException("the file holds no matrix (null)");
            matrix.Validate(catalog);
            return matrix;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidDataException)
        {
            string problem = (e as JsonException)?.Path is { } at
                ? UnknownKey(at) ?? UnknownLabelMode(at) ?? ExceptionMessages.OneLine(e)
                : ExceptionMessages.OneLine(e);
            throw new InvalidDataException($"{path}: not a valid experiment matrix: {problem}".ReplaceLineEndings(" "), e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read the experiment matrix: {ExceptionMessages.OneLine(e)}".ReplaceLineEndings(" "), e);
        }
    }

    /// <summary>Describes a label mode the JSON converter could not read at <paramref name="path"/> (<c>$.labelModes[1]</c>); otherwise null.</summary>
    private static string? UnknownLabelMode(string path)
    {
        int at = path.LastIndexOf(".labelModes[", StringComparison.Ordinal);
        if (at < 0 || !path.EndsWith(']'))
        {
            return null;
        }

        string entry = path[(at + 1)..];
        return $"{entry} is not a label mode (known: {string.Join(", ", Poisoning.LabelModes.Names)})";
    }

    /// <summary>Describes the key at <paramref name="path"/> if no member of its object maps it; otherwise null.</summary>
    private static string? UnknownKey(string path)
    {
        if (Segments(path) is not [.. var parents, { } key])
        {
            return null;
        }

        JsonSerializerOptions options = BackdoorKitJson.Strict;
        JsonTypeInfo? type = options.GetTypeInfo(typeof(ExperimentMatrix));
        foreach (string? segment in parents)
        {
            Type? next = segment is null ? type.ElementType : Property(type, segment)?.PropertyType;
            type = next is null ? null : options.GetTypeInfo(next);
            if (type is null)
            {
                return null;
            }
        }

        if (type.Kind != JsonTypeInfoKind.Object || Property(type, key) is not null)
        {
            return null;
        }

        string[] known = [.. type.Properties.Where(p => p.Set is not null).Select(p => p.Name)];
        string? nearest = Nearest(key, known);
        string suggestion = nearest is null ? string.Empty : $"; did you mean '{nearest}'?";
        return $"{MatrixText.Escape(path)} is not a known key{suggestion} (known: {string.Join(", ", known)})";
    }

    private static JsonPropertyInfo? Property(JsonTypeInfo type, string name) =>
        type.Kind == JsonTypeInfoKind.Object ? type.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) : null;

    /// <summary>Splits a JSON path such as <c>$.include[0]['a.b']</c> into names, with null for each array index; null if it does not parse.</summary>
    private static List<string?>? Segments(string path)
    {
        if (!path.StartsWith('$'))
        {
            return null;
        }

        var segments = new List<string?>();
        int i = 1;
        while (i < path.Length)
        {
            int end;
            if (path[i] == '.')
            {
                end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
            }
            else if (path.AsSpan(i).StartsWith("['", StringComparison.Ordinal))
            {
                end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return null;
                }

                segments.Add(path[(i + 2)..end]);
                end += 2;
            }
            else if (path[i] == '[' && path.IndexOf(']', i) is var close and > 0 && path[(i + 1)..close].All(char.IsAsciiDigit))
            {
                segments.Add(null);
                end = close + 1;
            }
            else
            {
                return null;
            }

            i = end;
        }

        return segments;
    }

    /// <summary>The known key nearest to <paramref name="key"/> by edit distance (ignoring case), if it is close enough to be a typo.</summary>
    private static string? Nearest(string key, IEnumerable<string> known)
    {
        int limit = Math.Max(2, key.Length / 3);
        (string Name, int Distance) best = known
            .Select(name => (Name: name, Distance: EditDistance(key.ToLowerInvariant(), name.ToLowerInvariant())))
            .MinBy(candidate => candidate.Distance);
        return best.Name is not null && best.Distance <= limit ? best.Name : null;
    }

    /// <summary>The Levenshtein distance: the fewest single-character insertions, deletions and substitutions.</summary>
    private static int EditDistance(string a, string b)
    {
        int[] previous = [.. Enumerable.Range(0, b.Length + 1)];
        int[] current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
