namespace BackdoorKit.Data.Readers;

/// <summary>
/// Reads a plain image folder: <c>&lt;root&gt;/train/&lt;class&gt;/*</c> and <c>&lt;root&gt;/test/&lt;class&gt;/*</c>
/// with PNG, JPEG or BMP files (<c>.png</c>, <c>.jpg</c>, <c>.jpeg</c>, <c>.bmp</c>, any letter case).
/// </summary>
/// <remarks>
/// The classes are the training split's sub-folder names, sorted ordinally; label <c>i</c> is the <c>i</c>-th name. A test
/// sub-folder must name one of those classes. Files are read sorted by name. All images of a split must have the same
/// size; the two splits may differ. Images are converted to RGB. A split without images is refused, and so is any
/// entry with an image extension that is not a regular file.
/// </remarks>
public sealed class ImageFolderReader : IDatasetReader
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp"];

    /// <inheritdoc />
    public string Name => "folder";

    /// <inheritdoc />
    public DatasetSplits Read(string path, CancellationToken cancellationToken = default)
    {
        string root = DatasetFiles.Resolve(path, "image folder", f => Directory.Exists(Path.Combine(f, "train")), "train");
        string trainFolder = Path.Combine(root, "train");
        string[] classNames = Directory.GetDirectories(trainFolder).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToArray();
        if (classNames.Length == 0)
        {
            throw new DatasetFormatException(trainFolder, "no classes: the folder has no class sub-folders");
        }

        ImageDataset train = ReadSplit(root, "train", classNames, cancellationToken);
        try
        {
            return new DatasetSplits(train, ReadSplit(root, "test", classNames, cancellationToken));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static ImageDataset ReadSplit(string root, string split, string[] classNames, CancellationToken cancellationToken)
    {
        string splitFolder = DatasetFiles.RequireFolder(Path.Combine(root, split));
        foreach (string folder in Directory.GetDirectories(splitFolder))
        {
            string name = Path.GetFileName(folder);
            if (!classNames.Contains(name, StringComparer.Ordinal))
            {
                throw new DatasetFormatException(folder, $"unknown class '{name}': the train folder has no class of that name");
            }
        }

        var files = new List<string>();
        var labels = new List<long>();
        for (int label = 0; label < classNames.Length; label++)
        {
            string classFolder = Path.Combine(splitFolder, classNames[label]);
            if (!Directory.Exists(classFolder))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(classFolder).Where(IsImage).Order(StringComparer.Ordinal))
            {
                files.Add(file);
                labels.Add(label);
            }
        }

        if (files.Count == 0)
        {
            throw new DatasetFormatException(
                splitFolder, $"empty split: no images ({string.Join(", ", Extensions)}) in its class folders; expected at least one image");
        }

        return ImageStack.ToDataset($"folder-{split}", files, labels, classNames, cancellationToken);
    }

    private static bool IsImage(string file) =>
        Extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase);
}
