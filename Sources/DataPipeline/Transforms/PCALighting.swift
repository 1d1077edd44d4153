/// AlexNet's PCA lighting noise (fb.resnet.torch's `Lighting`): one random colour offset per image along ImageNet's principal components.
///
/// Shapes: three offsets, one per RGB channel, in the units of `ToTensor`'s
/// `[0, 1]` pixels. The offset is `Σⱼ eigenvector[c][j] × αⱼ × eigenvalue[j]` with
/// `αⱼ ~ N(0, standardDeviation²)`, added to every pixel of channel `c` without
/// clamping. It sits where fb.resnet.torch puts it: after the 8-bit colour
/// jitter and `ToTensor`, before `Normalize`, so it is a float operation that
/// `ImageStandardizer` folds into its per-channel table.
public struct PCALighting: Sendable, Equatable {
    /// The eigenvalues of ImageNet's RGB covariance, as fb.resnet.torch lists them.
    public static let imageNetEigenvalues: [Double] = [0.2175, 0.0188, 0.0045]
    /// The matching eigenvectors: row `c` holds channel `c`'s component of each of the three vectors.
    public static let imageNetEigenvectors: [[Double]] = [
        [-0.5675, 0.7192, 0.4009],
        [-0.5808, -0.0045, -0.8140],
        [-0.5836, -0.6948, 0.4203],
    ]

    /// Standard deviation of each component's random weight (fb.resnet.torch's `alphastd`).
    public var standardDeviation: Double

    /// Lighting noise with the usual `alphastd` of 0.1.
    ///
    /// - Precondition: `standardDeviation` is not negative.
    public init(standardDeviation: Double = 0.1) {
        precondition(standardDeviation >= 0, "the lighting deviation must not be negative, got \(standardDeviation)")
        self.standardDeviation = standardDeviation
    }

    /// The three component weights α of sample `index` in `epoch`: standard normals scaled by the deviation.
    public func drawWeights(seed: UInt64, epoch: Int, index: Int) -> [Double] {
        var generator = CounterRandomGenerator(seed: seed, epoch: epoch, stream: .lighting, index: index)
        return (0..<3).map { _ in generator.standardNormal() * standardDeviation }
    }

    /// The per-channel offsets for component weights `weights`.
    ///
    /// - Precondition: three weights.
    public static func offsets(weights: [Double]) -> [Float] {
        precondition(weights.count == 3, "lighting needs three component weights, got \(weights.count)")
        return imageNetEigenvectors.map { row in
            Float((0..<3).reduce(0.0) { $0 + row[$1] * weights[$1] * imageNetEigenvalues[$1] })
        }
    }

    /// Sample `index`'s per-channel offsets in `epoch`.
    public func offsets(seed: UInt64, epoch: Int, index: Int) -> [Float] {
        Self.offsets(weights: drawWeights(seed: seed, epoch: epoch, index: index))
    }
}
