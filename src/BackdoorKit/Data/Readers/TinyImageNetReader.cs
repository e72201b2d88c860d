namespace BackdoorKit.Data.Readers;

/// <summary>
/// Reads TinyImageNet-200: <c>wnids.txt</c> (class order = label order), <c>words.txt</c> (class names),
/// <c>train/&lt;wnid&gt;/images/*.JPEG</c> (training split) and <c>val/images/*.JPEG</c> with
/// <c>val/val_annotations.txt</c> (test split).
/// </summary>
/// <remarks>
/// A class's name is the first comma-separated name <c>words.txt</c> gives its wnid, or the wnid itself when the file or
/// the line is missing. Images are read sorted by file name (ordinal) so the order is the same on every machine; gray
/// JPEGs are converted to RGB. The path may name the folder holding the files or its parent, into which the official
/// archive extracts <c>tiny-imagenet-200</c>. Unknown wnids in the annotations, missing or undecodable images, images
/// of another size than the rest of their split, empty splits, and wnids or annotated file names that lead outside
/// their folder (absolute or with <c>..</c>) fail with <see cref="DatasetFormatException"/>.
/// </remarks>
public sealed class TinyImageNetReader : IDatasetReader
{
    private const string WnidsFile = "wnids.txt";

    /// <inheritdoc />
    public string Name => "tinyimagenet";

    /// <inheritdoc />
    public DatasetSplits Read(string path, CancellationToken cancellationToken = default)
    {
        string folder = DatasetFiles.Resolve(
            path, "TinyImageNet", f => File.Exists(Path.Combine(f, WnidsFile)), WnidsFile, "tiny-imagenet-200");
        string wnidsPath = Path.Combine(folder, WnidsFile);
        string[] wnids = DatasetFiles.ReadNonBlankLines(wnidsPath);
        if (wnids.Length == 0)
        {
            throw new DatasetFormatException(wnidsPath, "empty: the file lists no classes");
        }

        var labelOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < wnids.Length; i++)
        {
            // A wnid names the folder train/<wnid>/images.
            DatasetFiles.Inside(Path.Combine(folder, "train"), wnids[i], wnidsPath, i + 1);
            if (!labelOf.TryAdd(wnids[i], i))
            {
                throw new DatasetFormatException(wnidsPath, $"duplicate wnid '{wnids[i]}' on line {i + 1}");
            }
        }

        string[] classNames = ReadClassNames(Path.Combine(folder, "words.txt"), wnids);
        ImageDataset train = ReadTrain(folder, wnids, classNames, cancellationToken);
        try
        {
            return new DatasetSplits(train, ReadVal(folder, labelOf, classNames, cancellationToken));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static string[] ReadClassNames(string wordsPath, string[] wnids)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (DatasetFiles.IsPresent(wordsPath))
        {
            foreach (string line in File.ReadLines(wordsPath))
            {
                string[] parts = line.Split('\t');
                if (parts.Length >= 2 && parts[1].Split(',')[0].Trim() is { Length: > 0 } name)
                {
                    names.TryAdd(parts[0].Trim(), name);
                }
            }
        }

        return wnids.Select(w => names.GetValueOrDefault(w, w)).ToArray();
    }

    private static ImageDataset ReadTrain(string folder, string[] wnids, string[] classNames, CancellationToken cancellationToken)
    {
        var files = new List<string>();
        var labels = new List<long>();
        for (int label = 0; label < wnids.Length; label++)
        {
            string images = DatasetFiles.RequireFolder(Path.Combine(folder, "train", wnids[label], "images"));
            foreach (string file in Directory.EnumerateFiles(images, "*.JPEG").Order(StringComparer.Ordinal))
            {
                files.Add(file);
                labels.Add(label);
            }
        }

        if (files.Count == 0)
        {
            throw new DatasetFormatException(
                Path.Combine(folder, "train"), "empty split: no .JPEG images in any <wnid>/images folder; expected at least one image");
        }

        return ImageStack.ToDataset("tinyimagenet-train", files, labels, classNames, cancellationToken);
    }

    private static ImageDataset ReadVal(
        string folder, Dictionary<string, int> labelOf, string[] classNames, CancellationToken cancellationToken)
    {
        string annotations = Path.Combine(folder, "val", "val_annotations.txt");
        string images = Path.Combine(folder, "val", "images");
        var entries = new List<(string File, long Label)>();
        string[] lines = File.ReadAllLines(DatasetFiles.RequireFile(annotations));
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            string[] parts = lines[i].Split('\t');
            if (parts.Length < 2)
            {
                throw new DatasetFormatException(annotations, $"bad line {i + 1}: expected file<TAB>wnid, got '{lines[i]}'");
            }

            string wnid = parts[1].Trim();
            if (!labelOf.TryGetValue(wnid, out int label))
            {
                throw new DatasetFormatException(annotations, $"unknown wnid '{wnid}' on line {i + 1}: it is not in {WnidsFile}");
            }

            entries.Add((DatasetFiles.RequireFile(DatasetFiles.Inside(images, parts[0].Trim(), annotations, i + 1)), label));
        }

        if (entries.Count == 0)
        {
            throw new DatasetFormatException(
                annotations, "empty split: the file lists no images; expected one 'file<TAB>wnid' line per validation image");
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.File, b.File));
        return ImageStack.ToDataset(
            "tinyimagenet-test", entries.Select(e => e.File).ToList(), entries.Select(e => e.Label).ToList(), classNames, cancellationToken);
    }
}
