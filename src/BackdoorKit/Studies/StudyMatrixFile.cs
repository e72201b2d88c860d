using System.Text.Json;
using BackdoorKit.Experiments;
using BackdoorKit.Results;

namespace BackdoorKit.Studies;

/// <summary>
/// The matrix file of a study folder (<see cref="FileName"/>): written by the first run, checked by every later one, so
/// that a folder holds one study. A later run may grow the study: when every result the folder stores belongs to the
/// new matrix's plan (an updated preset that adds blocks keeps the ids of its old experiments), the file is replaced and
/// the stored results count as done. A matrix that would leave stored results outside its plan is refused.
/// </summary>
public static class StudyMatrixFile
{
    /// <summary>The file's name in a study folder.</summary>
    public const string FileName = "matrix.json";

    /// <summary>Writes the matrix into a study folder, or checks it against the one there.</summary>
    /// <param name="folder">The study folder (it exists).</param>
    /// <param name="matrix">The matrix the run uses.</param>
    /// <param name="store">The folder's result store.</param>
    /// <param name="catalog">Where the matrices' names resolve; <see cref="ComponentCatalog.Default"/> when null.</param>
    /// <returns>Whether the file was created, matched, or replaced by a matrix that extends the stored study.</returns>
    /// <exception cref="StudyMatrixMismatchException">The folder stores results that the matrix does not plan.</exception>
    /// <exception cref="InvalidDataException">The folder's matrix file cannot be read.</exception>
    public static StudyMatrixCheck SaveOrCheck(string folder, ExperimentMatrix matrix, IResultStore store, ComponentCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(store);
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            Write(path, matrix);
            return StudyMatrixCheck.Created;
        }

        ExperimentMatrix stored = ExperimentMatrix.Load(path, catalog);
        if (JsonSerializer.Serialize(stored, BackdoorKitJson.Compact) == JsonSerializer.Serialize(matrix, BackdoorKitJson.Compact))
        {
            return StudyMatrixCheck.Unchanged;
        }

        var planned = matrix.Expand(catalog).All.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        string[] outside = [.. store.CompletedIds().Where(id => !planned.Contains(id)).Order(StringComparer.Ordinal)];
        if (outside.Length > 0)
        {
            throw new StudyMatrixMismatchException(
                $"{path} holds study '{stored.Name}', and {outside.Length} of its stored results (e.g. {outside[0]}) are experiments that " +
                $"'{matrix.Name}' does not plan; give another output folder, or remove this one to start over");
        }

        Write(path, matrix);
        return StudyMatrixCheck.Extended;
    }

    private static void Write(string path, ExperimentMatrix matrix)
    {
        string temporary = path + ".tmp";
        matrix.Save(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
