import Autodiff
import TensorCore
import Testing
import TestSupport

/// `batchNormTraining`, `batchNormInference` and `groupNorm`: outputs and gradients against the Float64 reference.
@Suite struct NormalizationGradientTests {
    static let epsilon: Float = 1e-5

    /// Plain 3-channel input, and a 16-channel input held in a convolution's blocked layout.
    static let layouts: [([Int], Bool)] = [([3, 4, 5, 3], false), ([2, 16, 3, 5], true)]

    static func input(_ reference: ReferenceTensor, blocked isBlocked: Bool) -> Variable {
        let tensor = reference.tensor()
        return Variable(isBlocked ? blocked(tensor) : tensor, requiresGradient: true)
    }

    @Test(arguments: layouts, [false, true])
    func batchNormTrainingGradientsMatchFiniteDifferences(layout: ([Int], Bool), fuseReLU: Bool) {
        _ = testBackend
        let (shape, isBlocked) = layout
        let channels = shape[1]
        let x = ReferenceTensor.random(shape: shape, seed: 20, range: -1.5...2)
        let gamma = ReferenceTensor.random(shape: [channels], seed: 21, range: 0.5...1.5)
        let beta = ReferenceTensor.random(shape: [channels], seed: 22, range: -0.5...0.5)
        let (input, scale, shift) = (Self.input(x, blocked: isBlocked), parameter(gamma), parameter(beta))
        let result = batchNormTraining(input, scale: scale, shift: shift, epsilon: Self.epsilon, fuseReLU: fuseReLU)
        Self.expectBatchNormTraining(result, of: (input, scale, shift), at: (x, gamma, beta), fuseReLU: fuseReLU,
                                     cotangentSeed: 23)
    }

    /// Checks a training-mode batch norm's output, statistics and gradients (after back-propagating a random cotangent
    /// drawn from `cotangentSeed`) against the Float64 reference and its finite differences.
    static func expectBatchNormTraining(_ result: (output: Variable, mean: Tensor, variance: Tensor),
                                        of variables: (input: Variable, scale: Variable, shift: Variable),
                                        at point: (x: ReferenceTensor, gamma: ReferenceTensor, beta: ReferenceTensor),
                                        fuseReLU: Bool, cotangentSeed: UInt64,
                                        sourceLocation: SourceLocation = #_sourceLocation) {
        let (x, gamma, beta) = point
        let expected = Reference.batchNormTraining(input: x, scale: gamma, shift: beta, epsilon: Double(epsilon))
        expectClose(plainValues(result.output.value), fuseReLU ? Reference.relu(expected.output) : expected.output,
                    tolerance: .gradient, "output", sourceLocation: sourceLocation)
        expectClose(ReferenceTensor(result.mean), expected.mean, tolerance: .gradient, "mean",
                    sourceLocation: sourceLocation)
        expectClose(ReferenceTensor(result.variance), expected.biasedVariance, tolerance: .gradient, "variance",
                    sourceLocation: sourceLocation)
        let cotangent = backpropagateRandomCotangent(from: result.output, seed: cotangentSeed)
        func objective(_ x: ReferenceTensor, _ gamma: ReferenceTensor, _ beta: ReferenceTensor) -> Double {
            let output = Reference.batchNormTraining(input: x, scale: gamma, shift: beta, epsilon: Double(epsilon)).output
            return Reference.dot(fuseReLU ? Reference.relu(output) : output, cotangent)
        }
        expectGradient(of: variables.input, at: x, "input", sourceLocation: sourceLocation) { objective($0, gamma, beta) }
        expectGradient(of: variables.scale, at: gamma, "scale", sourceLocation: sourceLocation) { objective(x, $0, beta) }
        expectGradient(of: variables.shift, at: beta, "shift", sourceLocation: sourceLocation) { objective(x, gamma, $0) }
    }

    /// Evaluation-mode batch norm with gradients: the running statistics are constants.
    @Test(arguments: layouts, [false, true])
    func batchNormInferenceGradientsMatchFiniteDifferences(layout: ([Int], Bool), fuseReLU: Bool) {
        _ = testBackend
        let (shape, isBlocked) = layout
        let channels = shape[1]
        let x = ReferenceTensor.random(shape: shape, seed: 30, range: -1.5...2)
        let gamma = ReferenceTensor.random(shape: [channels], seed: 31, range: 0.5...1.5)
        let beta = ReferenceTensor.random(shape: [channels], seed: 32, range: -0.5...0.5)
        let mean = ReferenceTensor.random(shape: [channels], seed: 33, range: -0.3...0.6)
        let variance = ReferenceTensor.random(shape: [channels], seed: 34, range: 0.2...2)
        let (input, scale, shift) = (Self.input(x, blocked: isBlocked), parameter(gamma), parameter(beta))
        let output = batchNormInference(input, scale: scale, shift: shift, mean: mean.tensor(),
                                        variance: variance.tensor(), epsilon: Self.epsilon, fuseReLU: fuseReLU)
        func reference(_ x: ReferenceTensor, _ gamma: ReferenceTensor, _ beta: ReferenceTensor) -> ReferenceTensor {
            let output = Reference.batchNormInference(input: x, scale: gamma, shift: beta, mean: mean, variance: variance,
                                                      epsilon: Double(Self.epsilon))
            return fuseReLU ? Reference.relu(output) : output
        }
        expectClose(plainValues(output.value), reference(x, gamma, beta), tolerance: .gradient, "output")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 35)
        expectGradient(of: input, at: x, "input") { Reference.dot(reference($0, gamma, beta), cotangent) }
        expectGradient(of: scale, at: gamma, "scale") { Reference.dot(reference(x, $0, beta), cotangent) }
        expectGradient(of: shift, at: beta, "shift") { Reference.dot(reference(x, gamma, $0), cotangent) }
    }

    /// Without gradients (evaluation), inference batch norm records nothing.
    @Test func batchNormInferenceWithoutGradientsRecordsNothing() {
        _ = testBackend
        let scale = parameter(ReferenceTensor(repeating: 1, shape: [3]))
        let shift = parameter(ReferenceTensor(repeating: 0, shape: [3]))
        let input = Variable(ReferenceTensor.random(shape: [2, 3, 4, 4], seed: 36).tensor())
        let output = withoutGradients {
            batchNormInference(input, scale: scale, shift: shift, mean: Tensor(zeros: [3]),
                               variance: Tensor(repeating: 1, shape: [3]), epsilon: Self.epsilon, fuseReLU: true)
        }
        #expect(!output.requiresGradient && output.isLeaf)
    }

    /// Group norm's groups: several channels per group, one group (layer norm), one channel per group (instance norm).
    /// The forward pass in float32 is as close to the Float64 reference as float32 allows, on planes with 16-lane tails.
    @Test func groupNormForwardMatchesTheReferenceToFloatPrecision() {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [3, 6, 5, 7], seed: 44, range: -1.5...2)
        let gamma = ReferenceTensor.random(shape: [6], seed: 45, range: 0.5...1.5)
        let beta = ReferenceTensor.random(shape: [6], seed: 46, range: -0.5...0.5)
        let output = groupNorm(Variable(x.tensor()), groups: 3, scale: Variable(gamma.tensor()),
                               shift: Variable(beta.tensor()), epsilon: Self.epsilon)
        let expected = Reference.groupNorm(input: x, groups: 3, scale: gamma, shift: beta, epsilon: Double(Self.epsilon))
        expectClose(plainValues(output.value), expected, tolerance: Tolerance(relative: 1e-5, absolute: 1e-5), "output")
    }

    /// With a fused ReLU, and on planes of 35 values, so the 16-lane loops have tails.
    @Test(arguments: [([2, 6, 3, 5], 3, false, false), ([3, 4, 2, 3], 1, false, false), ([2, 4, 3, 3], 4, false, false),
                      ([2, 16, 3, 3], 4, true, false), ([3, 6, 5, 7], 3, false, true), ([2, 16, 3, 3], 4, true, true)])
    func groupNormGradientsMatchFiniteDifferences(setting: ([Int], Int, Bool, Bool)) {
        _ = testBackend
        let (shape, groups, isBlocked, fuseReLU) = setting
        let channels = shape[1]
        let x = ReferenceTensor.random(shape: shape, seed: 40, range: -1.5...2)
        let gamma = ReferenceTensor.random(shape: [channels], seed: 41, range: 0.5...1.5)
        let beta = ReferenceTensor.random(shape: [channels], seed: 42, range: -0.5...0.5)
        let (input, scale, shift) = (Self.input(x, blocked: isBlocked), parameter(gamma), parameter(beta))
        let output = groupNorm(input, groups: groups, scale: scale, shift: shift, epsilon: Self.epsilon,
                               fuseReLU: fuseReLU)
        func reference(_ x: ReferenceTensor, _ gamma: ReferenceTensor, _ beta: ReferenceTensor) -> ReferenceTensor {
            let normalized = Reference.groupNorm(input: x, groups: groups, scale: gamma, shift: beta,
                                                 epsilon: Double(Self.epsilon))
            return fuseReLU ? Reference.relu(normalized) : normalized
        }
        expectClose(plainValues(output.value), reference(x, gamma, beta), tolerance: .gradient, "output")
        let cotangent = backpropagateRandomCotangent(from: output, seed: 43)
        expectGradient(of: input, at: x, "input") { Reference.dot(reference($0, gamma, beta), cotangent) }
        expectGradient(of: scale, at: gamma, "scale") { Reference.dot(reference(x, $0, beta), cotangent) }
        expectGradient(of: shift, at: beta, "shift") { Reference.dot(reference(x, gamma, $0), cotangent) }
    }
}
