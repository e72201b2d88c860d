namespace BackdoorKit.Training;

/// <summary>The optimizer that updates the trainable parameters.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (the paper's choice).</summary>
    Adam = 0,

    /// <summary>Stochastic gradient descent with momentum (the paper used it for TinyImageNet with VGG).</summary>
    Sgd = 1,
}
