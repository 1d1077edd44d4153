import Autodiff
import Distributed
import Layers
import TensorCore

/// Averages the trainable parameters' gradients over the data-parallel ranks, each bucket's all-reduce started during backward.
///
/// Shapes: one plain f32 gradient per trainable parameter, in the parameter's shape;
/// buckets (PyTorch DDP's 1 MiB first, 25 MiB after) over the parameters in backward
/// order, the reverse of the model's, so that the classifier's bucket leaves while the
/// stages below it are still being differentiated.
///
/// A step: `leafFinished` is handed to the last micro-batch's `backward(leafFinished:)`
/// and marks each parameter's gradient ready the moment it is complete; `finish()`
/// then gives a zero gradient to any parameter that took no part in this step's loss
/// (every rank must reduce every bucket), waits for the all-reduces, and leaves the
/// averaged gradients in place for clipping and the optimizer. A failed collective
/// ends the whole job with a message naming this rank: a rank left behind would
/// only hang the others.
final class GradientAveraging {
    let communicator: any Communicator
    /// The parameters in backward order.
    private let parameters: [Parameter]
    private let reduction: BucketedAllReduce
    private var indexOfLeaf: [ObjectIdentifier: Int] = [:]
    private var marked: [Bool]

    /// Averages the gradients of `parameters` (in the model's forward order) over `communicator`'s ranks.
    init(parameters: [Parameter], communicator: any Communicator,
         bucketCapacity: Int = GradientBuckets.defaultCapacity) {
        self.communicator = communicator
        self.parameters = parameters.reversed()
        reduction = BucketedAllReduce(elementCounts: self.parameters.map(\.shape.elementCount),
                                      communicator: communicator, capacity: bucketCapacity)
        marked = [Bool](repeating: false, count: parameters.count)
    }

    /// How many buckets a step reduces.
    var bucketCount: Int { reduction.buckets.count }

    /// Seconds spent waiting for all-reduces after backward, over every step so far: the communication not hidden.
    var exposedSeconds: Double { reduction.exposedSeconds }

    /// Readies the identifiers of this step's leaves (a parameter's variable changes when it is frozen or thawed).
    func beginStep() {
        indexOfLeaf = Dictionary(uniqueKeysWithValues: parameters.enumerated().map { ($1.variable.gradientIdentifier, $0) })
        marked = [Bool](repeating: false, count: parameters.count)
    }

    /// Called by backward as each leaf's gradient completes; starts the bucket it completes.
    func leafFinished(_ identifier: ObjectIdentifier) {
        guard let index = indexOfLeaf[identifier] else { return }
        markReady(index)
    }

    /// Waits for every bucket; afterwards each parameter's gradient is its average over the ranks.
    func finish() {
        for index in parameters.indices where !marked[index] {
            let parameter = parameters[index]
            if parameter.gradient == nil {
                parameter.variable.accumulateGradient(Tensor(zeros: parameter.shape))
            }
            markReady(index)
        }
        do {
            try reduction.finish()
        } catch {
            communicator.abort("averaging gradients failed: \(error)")
        }
    }

    private func markReady(_ index: Int) {
        marked[index] = true
        let gradient = parameters[index].gradient!
        do {
            try reduction.markReady(index, gradient: gradient.storage.buffer(as: Float.self, count: gradient.elementCount))
        } catch {
            communicator.abort("starting the all-reduce of \(parameters[index].name)'s gradient failed: \(error)")
        }
    }
}
