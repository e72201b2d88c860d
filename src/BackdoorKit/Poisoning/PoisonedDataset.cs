using BackdoorKit.Data;
using BackdoorKit.Runtime;
using BackdoorKit.Triggers;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Poisoning;

/// <summary>
/// A poisoned view of a clean dataset: the poisoned rows carry the trigger and their poisoned label (the target class, or
/// the next class under <see cref="LabelMode.AllToAll"/>), replacing their clean
/// originals (the dataset keeps its size). The clean dataset is referenced, never changed, and never disposed by this
/// object; it must outlive it.
/// </summary>
/// <remarks>
/// The trigger is drawn lazily, when batches are built (<see cref="SelectBatch"/>, then <see cref="PoisonedBatch.Render"/>),
/// because under <see cref="TriggerCanvas.ModelInput"/> it must be drawn after resizing. <see cref="MaterializeNative"/>
/// draws it once at native resolution, for previews, exports, or <see cref="TriggerCanvas.NativeImage"/> training.
/// A view may cover a subset of the clean samples (<see cref="SampleIndices"/>), as <see cref="AttackTestSet"/> does.
/// </remarks>
public sealed class PoisonedDataset : IDisposable
{
    private readonly Tensor? rows;
    private Tensor? coverMask;
    private bool disposed;

    /// <summary>Creates a poisoned view of <paramref name="clean"/> whose <paramref name="poisonedIndices"/> rows carry the trigger and their poisoned label.</summary>
    /// <param name="clean">The clean dataset; it must outlive the view.</param>
    /// <param name="trigger">The trigger of the poisoned rows.</param>
    /// <param name="targetClass">The label of the poisoned rows under <see cref="LabelMode.AllToOne"/>, in <c>[0, clean.ClassCount)</c>.</param>
    /// <param name="poisonedIndices">The poisoned rows of the view, strictly ascending, in <c>[0, Count)</c>.</param>
    /// <param name="sampleIndices">The clean sample behind each row of the view; <see langword="null"/> for all samples in order.</param>
    /// <param name="labelMode">Which label the poisoned rows take (<see cref="LabelModes.Target"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The target class, an index or the label mode is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="poisonedIndices"/> is not strictly ascending.</exception>
    public PoisonedDataset(
        ImageDataset clean,
        ITrigger trigger,
        int targetClass,
        IReadOnlyList<int> poisonedIndices,
        IReadOnlyList<int>? sampleIndices = null,
        LabelMode labelMode = LabelMode.AllToOne)
    {
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(poisonedIndices);
        ValidateTargetClass(clean, targetClass, nameof(targetClass));
        LabelMode = LabelModes.Defined(labelMode, nameof(labelMode));
        int count = sampleIndices?.Count ?? clean.Count;
        foreach (int sample in sampleIndices ?? [])
        {
            if (sample < 0 || sample >= clean.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(sampleIndices), sample, $"sampleIndices must lie in [0, {clean.Count - 1}].");
            }
        }

        CheckRows(poisonedIndices, count, nameof(poisonedIndices));

        TorchRuntime.EnsureInitialized();
        Device device = clean.Images.device;
        using var scope = NewDisposeScope();
        if (sampleIndices is not null)
        {
            rows = tensor(sampleIndices.Select(i => (long)i).ToArray(), ScalarType.Int64, device).MoveToOuterDisposeScope();
        }

        Tensor mask = zeros(count, ScalarType.Bool, device);
        if (poisonedIndices.Count > 0)
        {
            mask.index_fill_(0, tensor(poisonedIndices.Select(i => (long)i).ToArray(), ScalarType.Int64, device), true);
        }

        Tensor labels = rows is null ? clean.Labels.clone() : clean.Labels.index_select(0, rows);
        Labels = where(mask, LabelModes.Targets(labelMode, labels, targetClass, clean.ClassCount), labels).MoveToOuterDisposeScope();
        TriggerMask = mask.MoveToOuterDisposeScope();
        Clean = clean;
        Trigger = trigger;
        TargetClass = targetClass;
        PoisonedIndices = poisonedIndices.ToArray();
        SampleIndices = sampleIndices?.ToArray() ?? Enumerable.Range(0, count).ToArray();
    }

    /// <summary>Gets the clean dataset behind the view.</summary>
    public ImageDataset Clean { get; }

    /// <summary>Gets the trigger the poisoned rows carry.</summary>
    public ITrigger Trigger { get; }

    /// <summary>Gets the label poisoned rows take under <see cref="LabelMode.AllToOne"/>.</summary>
    public int TargetClass { get; }

    /// <summary>Gets which label the poisoned rows take: the target class, or the next class (all-to-all).</summary>
    public LabelMode LabelMode { get; }

    /// <summary>Gets the number of rows.</summary>
    public int Count => SampleIndices.Count;

    /// <summary>Gets the clean sample index behind each row (<c>0 .. N-1</c> for a whole-dataset view).</summary>
    public IReadOnlyList<int> SampleIndices { get; }

    /// <summary>Gets the rows that carry the trigger and the target label, ascending.</summary>
    public IReadOnlyList<int> PoisonedIndices { get; }

    /// <summary>Gets the labels of the rows, <c>int64 [Count]</c>, owned by this object: the poisoned label on poisoned rows.</summary>
    public Tensor Labels { get; }

    /// <summary>Gets which rows carry the trigger, <c>bool [Count]</c>, owned by this object.</summary>
    public Tensor TriggerMask { get; }

    /// <summary>
    /// Gets the rows that carry <see cref="CoverTrigger"/> and keep their clean label, ascending (empty unless
    /// <see cref="WithCover"/> made this view): WaNet's noise-mode images, which teach the model what is not the trigger.
    /// </summary>
    public IReadOnlyList<int> CoverIndices { get; private init; } = [];

    /// <summary>Gets the trigger drawn on <see cref="CoverIndices"/>, or null.</summary>
    public ITrigger? CoverTrigger { get; private init; }

    /// <summary>
    /// Returns a new view with the same poisoned rows and labels in which <paramref name="coverIndices"/> also carry
    /// <paramref name="coverTrigger"/>, keeping their labels. This view is not changed; dispose both.
    /// </summary>
    /// <param name="coverTrigger">The cover trigger; same canvas as <see cref="Trigger"/>.</param>
    /// <param name="coverIndices">Rows to cover, strictly ascending, in <c>[0, Count)</c>, none of them poisoned.</param>
    /// <returns>The new view.</returns>
    /// <exception cref="ArgumentException">The canvases differ, a row is poisoned, or the rows are not strictly ascending.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row is out of range.</exception>
    public PoisonedDataset WithCover(ITrigger coverTrigger, IReadOnlyList<int> coverIndices)
    {
        ArgumentNullException.ThrowIfNull(coverTrigger);
        ArgumentNullException.ThrowIfNull(coverIndices);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (coverTrigger.Canvas != Trigger.Canvas)
        {
            throw new ArgumentException(
                $"the cover trigger is drawn on {coverTrigger.Canvas} but the trigger on {Trigger.Canvas}; both must use one canvas.", nameof(coverTrigger));
        }

        CheckRows(coverIndices, Count, nameof(coverIndices));
        var poisoned = PoisonedIndices.ToHashSet();
        if (coverIndices.FirstOrDefault(poisoned.Contains, -1) is int both and >= 0)
        {
            throw new ArgumentException($"row {both} is poisoned, so it cannot also be a cover row.", nameof(coverIndices));
        }

        Tensor mask = zeros(Count, ScalarType.Bool, Labels.device);
        if (coverIndices.Count > 0)
        {
            using Tensor index = tensor(coverIndices.Select(i => (long)i).ToArray(), ScalarType.Int64, Labels.device);
            mask.index_fill_(0, index, true);
        }

        return new PoisonedDataset(Clean, Trigger, TargetClass, PoisonedIndices, rows is null ? null : SampleIndices, LabelMode)
        {
            coverMask = mask,
            CoverTrigger = coverTrigger,
            CoverIndices = coverIndices.ToArray(),
        };
    }

    /// <summary>
    /// Returns a new view without some rows (a training set after a defense removed the rows it flagged): the other rows
    /// keep their order, samples, labels, triggers and cover triggers. This view is not changed; dispose both.
    /// </summary>
    /// <param name="rows">Rows of this view to leave out, in <c>[0, Count)</c>, any order.</param>
    /// <returns>The smaller view.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A row is out of range.</exception>
    public PoisonedDataset Without(IReadOnlyCollection<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ObjectDisposedException.ThrowIf(disposed, this);
        var removed = new HashSet<int>(rows);
        if (removed.FirstOrDefault(r => r < 0 || r >= Count, -1) is int bad and >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), bad, $"rows must lie in [0, {Count - 1}].");
        }

        int[] kept = [.. Enumerable.Range(0, Count).Where(r => !removed.Contains(r))];
        var position = new Dictionary<int, int>(kept.Length);
        for (int i = 0; i < kept.Length; i++)
        {
            position[kept[i]] = i;
        }

        int[] Moved(IReadOnlyList<int> indices) => [.. indices.Where(position.ContainsKey).Select(r => position[r])];
        var view = new PoisonedDataset(Clean, Trigger, TargetClass, Moved(PoisonedIndices), [.. kept.Select(r => SampleIndices[r])], LabelMode);
        if (CoverTrigger is null)
        {
            return view;
        }

        using (view)
        {
            return view.WithCover(CoverTrigger, Moved(CoverIndices));
        }
    }

    /// <summary>Selects rows for a batch: clean native images, poisoned labels and trigger flags, ready for <see cref="PoisonedBatch.Render"/>.</summary>
    /// <param name="indices">Row indices, an <c>int64</c> (or <c>int32</c>) vector with values in <c>[0, Count)</c>.</param>
    /// <returns>The batch; the caller owns and disposes it.</returns>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is not an integer vector.</exception>
    public PoisonedBatch SelectBatch(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (indices.dim() != 1 || indices.dtype is not (ScalarType.Int64 or ScalarType.Int32))
        {
            throw new ArgumentException(
                $"indices must be an int64 or int32 vector; got {indices.dtype} [{string.Join(", ", indices.shape)}].", nameof(indices));
        }

        using var scope = NewDisposeScope();
        Tensor local = indices.to(Labels.device);
        Tensor samples = rows is null ? local : rows.index_select(0, local);
        return new PoisonedBatch(
            Clean.Images.index_select(0, samples).MoveToOuterDisposeScope(),
            Labels.index_select(0, local).MoveToOuterDisposeScope(),
            TriggerMask.index_select(0, local).MoveToOuterDisposeScope(),
            Trigger,
            Clean.SourceChannels,
            coverMask is null || CoverTrigger is null ? null : (coverMask.index_select(0, local).MoveToOuterDisposeScope(), CoverTrigger));
    }

    /// <summary>
    /// Returns a new dataset with the trigger drawn on the poisoned rows at native resolution and the poisoned labels.
    /// Valid for any canvas as a preview or export; note that <see cref="TriggerCanvas.ModelInput"/> training draws the
    /// trigger after resizing instead (<see cref="PoisonedBatch.Render"/>), so its pixels differ from this copy's.
    /// </summary>
    /// <param name="name">The new dataset's name; defaults to the clean name with <c>-poisoned</c> appended.</param>
    /// <returns>A dataset that owns its tensors; the caller disposes it.</returns>
    public ImageDataset MaterializeNative(string? name = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var scope = NewDisposeScope();
        using PoisonedBatch all = SelectBatch(arange(Count, ScalarType.Int64, Labels.device));
        Tensor images = all.DrawTrigger(all.Images).MoveToOuterDisposeScope();
        Tensor labels = all.Labels.clone().MoveToOuterDisposeScope();
        return new ImageDataset(name ?? $"{Clean.Name}-poisoned", images, labels, Clean.ClassNames, Clean.SourceChannels);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        rows?.Dispose();
        Labels.Dispose();
        TriggerMask.Dispose();
        coverMask?.Dispose();
    }

    /// <summary>Throws unless <paramref name="indices"/> are strictly ascending rows in <c>[0, count)</c>.</summary>
    private static void CheckRows(IReadOnlyList<int> indices, int count, string parameterName)
    {
        for (int i = 0; i < indices.Count; i++)
        {
            int row = indices[i];
            if (row < 0 || row >= count)
            {
                throw new ArgumentOutOfRangeException(parameterName, row, $"{parameterName} must lie in [0, {count - 1}].");
            }

            if (i > 0 && row <= indices[i - 1])
            {
                throw new ArgumentException($"{parameterName} must be strictly ascending; {row} follows {indices[i - 1]}.", parameterName);
            }
        }
    }

    /// <summary>Throws unless <paramref name="targetClass"/> is a class of <paramref name="dataset"/>.</summary>
    internal static void ValidateTargetClass(ImageDataset dataset, int targetClass, string parameterName)
    {
        if (targetClass < 0 || targetClass >= dataset.ClassCount)
        {
            throw new ArgumentOutOfRangeException(
                parameterName, targetClass, $"the target class must lie in [0, {dataset.ClassCount - 1}] for '{dataset.Name}'; got {targetClass}.");
        }
    }
}
