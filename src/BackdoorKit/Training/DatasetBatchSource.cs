using BackdoorKit.Data;
using BackdoorKit.Poisoning;
using static TorchSharp.torch;

namespace BackdoorKit.Training;

/// <summary>
/// Serves batches of a clean <see cref="ImageDataset"/> or a <see cref="PoisonedDataset"/> view as model input: the
/// uint8 rows are selected, moved to the device, resized (with the training crops where the transform has them), given
/// their trigger on the canvas the trigger asks for, and normalized, all on the device.
/// </summary>
/// <remarks>The data stays the caller's: disposing the source frees nothing the caller passed in.</remarks>
public sealed class DatasetBatchSource : IBatchSource
{
    private readonly ImageDataset? clean;
    private readonly PoisonedDataset? poisoned;

    private DatasetBatchSource(ImageDataset? clean, PoisonedDataset? poisoned, ModelInputTransform transform)
    {
        this.clean = clean;
        this.poisoned = poisoned;
        Transform = transform ?? throw new ArgumentNullException(nameof(transform));
    }

    /// <summary>Gets the transform that turns native images into model input.</summary>
    public ModelInputTransform Transform { get; }

    /// <inheritdoc />
    public int Count => poisoned?.Count ?? clean!.Count;

    /// <inheritdoc />
    public Tensor Labels => poisoned?.Labels ?? clean!.Labels;

    /// <summary>Serves a clean dataset.</summary>
    /// <param name="dataset">The dataset; it must outlive the source.</param>
    /// <param name="transform">The model-input transform.</param>
    /// <returns>The source.</returns>
    public static DatasetBatchSource FromClean(ImageDataset dataset, ModelInputTransform transform) =>
        new(dataset ?? throw new ArgumentNullException(nameof(dataset)), null, transform);

    /// <summary>Serves a poisoned view: poisoned rows get the trigger and their poisoned label.</summary>
    /// <param name="dataset">The view; it must outlive the source.</param>
    /// <param name="transform">The model-input transform.</param>
    /// <returns>The source.</returns>
    public static DatasetBatchSource FromPoisoned(PoisonedDataset dataset, ModelInputTransform transform) =>
        new(null, dataset ?? throw new ArgumentNullException(nameof(dataset)), transform);

    /// <inheritdoc />
    public (Tensor Inputs, Tensor Labels) GetBatch(Tensor indices, Device device, Random? augmentation)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(device);
        using var scope = NewDisposeScope();
        Tensor resized, labels;
        if (poisoned is not null)
        {
            using PoisonedBatch batch = poisoned.SelectBatch(indices);
            resized = batch.Render(images => Resize(images.to(device), augmentation));
            labels = batch.Labels.clone().to(device); // the batch frees its own labels
        }
        else
        {
            Tensor local = indices.to(clean!.Images.device);
            resized = Resize(clean.Images.index_select(0, local).to(device), augmentation);
            labels = clean.Labels.index_select(0, local).to(device);
        }

        return (Transform.Normalize(resized).MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    private Tensor Resize(Tensor images, Random? augmentation) =>
        augmentation is null ? Transform.Resize(images) : Transform.ResizeForTraining(images, augmentation);
}
