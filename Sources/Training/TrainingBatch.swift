import TensorCore

/// One batch as the training step consumes it: images, hard labels and, under mixup/CutMix, soft targets.
///
/// Shapes: `images` is `[N, C, H, W]` f32 (plain NCHW, as the loader makes it);
/// `labels` holds N class indices; `softTargets`, when present, holds `N × classes`
/// probabilities (label smoothing already folded in) and replaces `labels` for the loss.
public struct TrainingBatch {
    public var images: Tensor
    public var labels: [Int32]
    public var softTargets: [Float]?

    public init(images: Tensor, labels: [Int32], softTargets: [Float]? = nil) {
        self.images = images
        self.labels = labels
        self.softTargets = softTargets
    }

    public var count: Int { images.shape[0] }
}
