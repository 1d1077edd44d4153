import TensorCore

/// What identifies a primitive in the cache: its kind and every shape, layout and type it was made for.
///
/// Why: creating a oneDNN primitive JIT-compiles a kernel (milliseconds); a training
/// step runs the same few dozen shapes every iteration, so each is made once.
struct PrimitiveKey: Hashable {
    enum Kind: Hashable {
        case convolutionForward, convolutionBackwardData, convolutionBackwardWeights, convolutionInference
        case batchNormTraining, batchNormInference, batchNormBackward
        case poolingForward, poolingBackward
        case reluForward, reluBackward, linearScale
        case binaryAdd, binaryMultiply
        case linearForward, linearBackwardData, linearBackwardWeights
        case reorder
    }

    var kind: Kind
    var dimensions: [[Int]] = []
    var layouts: [[Int64]] = []
    var settings: [Int] = []
    var factor: Float = 0
}
