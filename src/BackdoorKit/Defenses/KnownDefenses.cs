namespace BackdoorKit.Defenses;

/// <summary>The defenses that ship with BackdoorKit.</summary>
public static class KnownDefenses
{
    /// <summary>Gets STRIP with its default settings (<see cref="StripDefense"/>).</summary>
    public static StripDefense Strip { get; } = new();

    /// <summary>Gets Spectral Signatures with its default settings (<see cref="SpectralSignatureDefense"/>).</summary>
    public static SpectralSignatureDefense SpectralSignatures { get; } = new();

    /// <summary>Gets Activation Clustering with its default settings (<see cref="ActivationClusteringDefense"/>).</summary>
    public static ActivationClusteringDefense ActivationClustering { get; } = new();

    /// <summary>Gets Fine-Pruning with its default settings (<see cref="FinePruningDefense"/>).</summary>
    public static FinePruningDefense FinePruning { get; } = new();

    /// <summary>Gets Neural Cleanse with its default settings (<see cref="NeuralCleanseDefense"/>).</summary>
    public static NeuralCleanseDefense NeuralCleanse { get; } = new();

    /// <summary>Gets Spectral Signatures that also trains the model again without the flagged rows (<c>spectral-retrain</c>).</summary>
    public static SpectralSignatureDefense SpectralSignaturesRetrained { get; } = new(new SpectralSignatureOptions { Retrain = true });

    /// <summary>Gets Activation Clustering that also trains the model again without the flagged rows (<c>activation-clustering-retrain</c>).</summary>
    public static ActivationClusteringDefense ActivationClusteringRetrained { get; } = new(new ActivationClusteringOptions { Retrain = true });

    /// <summary>Gets every shipped defense.</summary>
    public static IReadOnlyList<IDefense> All { get; } =
        [Strip, SpectralSignatures, ActivationClustering, FinePruning, NeuralCleanse, SpectralSignaturesRetrained, ActivationClusteringRetrained];
}
