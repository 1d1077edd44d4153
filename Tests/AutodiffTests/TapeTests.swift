import Autodiff
import TensorCore
import Testing
import TestSupport

/// The tape's semantics: accumulation over uses and over backward passes, no recording without gradients,
/// no gradient (and no backward kernel) for frozen parameters or the input image.
@Suite struct TapeTests {
    @Test func gradientsOfAVariableUsedTwiceAreSummed() throws {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [2, 3, 4, 5], seed: 700)
        let input = parameter(x)
        let cotangent = backpropagateRandomCotangent(from: input + input, seed: 701)
        let gradient = plainValues(try #require(input.gradient))
        expectClose(gradient, cotangent.map { 2 * $0 }, tolerance: .gradient)
    }

    /// Two leaves fed by one pullback get gradients with storage of their own, apart from the seed's.
    @Test func leafGradientsOwnTheirStorage() throws {
        _ = testBackend
        let (a, b) = (parameter(ReferenceTensor.random(shape: [2, 3], seed: 705)),
                      parameter(ReferenceTensor.random(shape: [2, 3], seed: 706)))
        let seed = Tensor(repeating: 1, shape: [2, 3])
        (a + b).backward(seed: seed)
        let (gradientOfA, gradientOfB) = (try #require(a.gradient), try #require(b.gradient))
        #expect(gradientOfA.storage !== gradientOfB.storage)
        #expect(gradientOfA.storage !== seed.storage && gradientOfB.storage !== seed.storage)
        gradientOfA.storage.buffer(as: Float.self, count: 6)[0] = 42
        #expect(gradientOfB.scalars[0] == 1)
    }

    /// One weight in two layers (weight sharing): its gradient is the sum of both uses'.
    @Test func sharedWeightAccumulatesBothUses() {
        _ = testBackend
        let (a, b) = (ReferenceTensor.random(shape: [3, 6], seed: 710), ReferenceTensor.random(shape: [3, 6], seed: 711))
        let w = ReferenceTensor.random(shape: [4, 6], seed: 712)
        let weight = parameter(w)
        let output = relu(linear(Variable(a.tensor()), weight: weight)) + linear(Variable(b.tensor()), weight: weight)
        let cotangent = backpropagateRandomCotangent(from: output, seed: 713)
        expectGradient(of: weight, at: w) {
            Reference.dot(Reference.add(Reference.relu(Reference.linear(input: a, weight: $0)),
                                        Reference.linear(input: b, weight: $0)), cotangent)
        }
    }

    /// A diamond: one intermediate feeds two branches that meet again; each pullback still runs once.
    @Test func diamondGraphGradientMatchesFiniteDifferences() throws {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [2, 4, 5, 5], seed: 720)
        let w = ReferenceTensor.random(shape: [4, 4, 3, 3], seed: 721, range: -0.4...0.4)
        let (input, weight) = (parameter(x), parameter(w))
        let geometry = ConvolutionGeometry(padding: 1)
        let hidden = try #require(recordingBackend.recording(forwardOf: .convolutionForward, involving: [4, 4, 3, 3]) {
            conv2d(input, weight: weight, geometry: geometry)
        })
        let output = relu(hidden) + hidden * 0.5
        let cotangent = backpropagateRandomCotangent(from: output, seed: 722)
        #expect(recordingBackend.count(of: .convolutionBackwardData, involving: [4, 4, 3, 3]) == 1)
        #expect(recordingBackend.count(of: .convolutionBackwardWeights, involving: [4, 4, 3, 3]) == 1)
        func objective(_ x: ReferenceTensor, _ w: ReferenceTensor) -> Double {
            let hidden = Reference.conv2d(input: x, weight: w, geometry: geometry)
            return Reference.dot(Reference.add(Reference.relu(hidden), hidden.map { $0 * 0.5 }), cotangent)
        }
        expectGradient(of: input, at: x, probes: 64, "input") { objective($0, w) }
        expectGradient(of: weight, at: w, probes: 64, "weight") { objective(x, $0) }
    }

    /// Two micro-batches back-propagated one after the other: the leaf holds the sum until `zeroGradient()`.
    @Test func gradientsAccumulateAcrossBackwardPasses() throws {
        _ = testBackend
        let w = ReferenceTensor.random(shape: [3, 5], seed: 730)
        let weight = parameter(w)
        let batches = [ReferenceTensor.random(shape: [2, 5], seed: 731), ReferenceTensor.random(shape: [4, 5], seed: 732)]
        var cotangents: [ReferenceTensor] = []
        for (index, batch) in batches.enumerated() {
            let output = linear(Variable(batch.tensor()), weight: weight)
            cotangents.append(backpropagateRandomCotangent(from: output, seed: 733 + UInt64(index)))
        }
        expectGradient(of: weight, at: w) { w in
            zip(batches, cotangents).reduce(0) { $0 + Reference.dot(Reference.linear(input: $1.0, weight: w), $1.1) }
        }
        weight.zeroGradient()
        #expect(weight.gradient == nil)
    }

    /// Running backward twice over a retained graph doubles the gradient (pullbacks can be replayed).
    @Test func backwardTwiceOverOneRetainedGraphDoublesTheGradient() throws {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [2, 3, 5, 5], seed: 740)
        let input = parameter(x)
        let output = maxPool2d(relu(input), kernel: 2)
        let cotangent = ReferenceTensor.random(shape: output.shape.dimensions, seed: 741)
        output.backward(seed: cotangent.tensor(), retainingGraph: true)
        let once = plainValues(try #require(input.gradient))
        output.backward(seed: cotangent.tensor())
        expectClose(plainValues(try #require(input.gradient)), once.map { 2 * $0 }, tolerance: .gradient)
    }

    @Test func withoutGradientsRecordsNothing() {
        _ = testBackend
        let weight = parameter(ReferenceTensor.random(shape: [4, 3, 3, 3], seed: 750))
        let scale = parameter(ReferenceTensor(repeating: 1, shape: [4]))
        let shift = parameter(ReferenceTensor(repeating: 0, shape: [4]))
        let input = Variable(ReferenceTensor.random(shape: [1, 3, 6, 6], seed: 751).tensor())
        let output = withoutGradients {
            let convolved = conv2d(input, weight: weight, geometry: ConvolutionGeometry(padding: 1))
            let normalized = batchNormTraining(convolved, scale: scale, shift: shift, epsilon: 1e-5).output
            return flatten(globalAveragePool(relu(normalized) + normalized))
        }
        #expect(!output.requiresGradient)
        #expect(output.isLeaf)
        #expect(weight.gradient == nil && scale.gradient == nil)
        let recorded = conv2d(input, weight: weight, geometry: ConvolutionGeometry(padding: 1))
        #expect(recorded.requiresGradient, "outside withoutGradients the same op is recorded again")
    }

    /// An op whose inputs need no gradient is not recorded, even with gradients on.
    @Test func opsOnConstantsAreNotRecorded() {
        _ = testBackend
        let input = Variable(ReferenceTensor.random(shape: [2, 3], seed: 760).tensor())
        let output = relu(input * 2) + input
        #expect(!output.requiresGradient && output.isLeaf)
    }

    /// A frozen convolution (weight without gradient, no bias) with a trainable input: backward-weights never runs.
    @Test func frozenWeightGetsNoGradientAndBackwardWeightsDoesNotRun() throws {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [1, 5, 7, 6], seed: 770)
        let w = ReferenceTensor.random(shape: [3, 5, 3, 3], seed: 771)
        let input = parameter(x)
        let weight = Variable(w.tensor(), requiresGradient: false)
        let geometry = ConvolutionGeometry(padding: 1)
        let output = try #require(recordingBackend.recording(forwardOf: .convolutionForward, involving: [3, 5, 3, 3]) {
            conv2d(input, weight: weight, geometry: geometry)
        })
        let cotangent = backpropagateRandomCotangent(from: output, seed: 772)
        #expect(weight.gradient == nil)
        #expect(recordingBackend.count(of: .convolutionBackwardData, involving: [3, 5, 3, 3]) == 1)
        #expect(recordingBackend.count(of: .convolutionBackwardWeights, involving: [3, 5, 3, 3]) == 0)
        expectGradient(of: input, at: x) {
            Reference.dot(Reference.conv2d(input: $0, weight: w, geometry: geometry), cotangent)
        }
    }

    /// A frozen weight with a trainable bias: only the bias gets a gradient.
    @Test func frozenWeightWithTrainableBiasGivesOnlyTheBiasAGradient() {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [2, 3, 5, 5], seed: 780)
        let w = ReferenceTensor.random(shape: [4, 3, 3, 3], seed: 781)
        let b = ReferenceTensor.random(shape: [4], seed: 782)
        let weight = Variable(w.tensor(), requiresGradient: false)
        let bias = parameter(b)
        let geometry = ConvolutionGeometry(stride: 2)
        let output = conv2d(Variable(x.tensor()), weight: weight, bias: bias, geometry: geometry)
        let cotangent = backpropagateRandomCotangent(from: output, seed: 783)
        #expect(weight.gradient == nil)
        expectGradient(of: bias, at: b) {
            Reference.dot(Reference.conv2d(input: x, weight: w, bias: $0, geometry: geometry), cotangent)
        }
    }

    /// A trainable weight with a frozen bias: the weight trains, the bias gets nothing.
    @Test func frozenBiasGetsNoGradient() {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [2, 3, 5, 5], seed: 785)
        let w = ReferenceTensor.random(shape: [4, 3, 3, 3], seed: 786)
        let b = ReferenceTensor.random(shape: [4], seed: 787)
        let weight = parameter(w)
        let bias = Variable(b.tensor())
        let geometry = ConvolutionGeometry(padding: 1)
        let output = conv2d(Variable(x.tensor()), weight: weight, bias: bias, geometry: geometry)
        let cotangent = backpropagateRandomCotangent(from: output, seed: 788)
        #expect(bias.gradient == nil)
        expectGradient(of: weight, at: w) {
            Reference.dot(Reference.conv2d(input: x, weight: $0, bias: b, geometry: geometry), cotangent)
        }
    }

    /// A frozen linear layer (classifier probing the other way round): input gradient only.
    @Test func frozenLinearWeightGetsNoGradientAndBackwardWeightsDoesNotRun() throws {
        _ = testBackend
        let x = ReferenceTensor.random(shape: [3, 11], seed: 790)
        let w = ReferenceTensor.random(shape: [7, 11], seed: 791)
        let input = parameter(x)
        let weight = Variable(w.tensor())
        let output = try #require(recordingBackend.recording(forwardOf: .linearForward, involving: [7, 11]) {
            linear(input, weight: weight)
        })
        let cotangent = backpropagateRandomCotangent(from: output, seed: 792)
        #expect(weight.gradient == nil)
        #expect(recordingBackend.count(of: .linearBackwardData, involving: [7, 11]) == 1)
        #expect(recordingBackend.count(of: .linearBackwardWeights, involving: [7, 11]) == 0)
        expectGradient(of: input, at: x) { Reference.dot(Reference.linear(input: $0, weight: w), cotangent) }
    }

    /// ResNet's stem on an image: conv 7×7/2 → batch norm + ReLU → max pool 3/2/1. The image never gets a
    /// gradient and backward-data never runs for the stem convolution, while its weight trains.
    @Test func inputImageGradientIsNeverComputed() throws {
        _ = testBackend
        let imageShape: Shape = [1, 3, 23, 21]
        let weightShape: Shape = [16, 3, 7, 7]
        let image = Variable(ReferenceTensor.random(shape: imageShape.dimensions, seed: 800).tensor())
        let weight = parameter(.random(shape: weightShape.dimensions, seed: 801, range: -0.2...0.2))
        let scale = parameter(ReferenceTensor(repeating: 1, shape: [16]))
        let shift = parameter(ReferenceTensor(repeating: 0, shape: [16]))
        let convolved = try #require(recordingBackend.recording(forwardOf: .convolutionForward, involving: imageShape) {
            conv2d(image, weight: weight, geometry: ConvolutionGeometry(stride: 2, padding: 3))
        })
        let normalized = batchNormTraining(convolved, scale: scale, shift: shift, epsilon: 1e-5, fuseReLU: true).output
        let pooled = maxPool2d(normalized, kernel: 3, stride: 2, padding: 1)
        backpropagateRandomCotangent(from: pooled, seed: 802)
        #expect(image.gradient == nil)
        #expect(!image.requiresGradient)
        #expect(recordingBackend.count(of: .convolutionBackwardData, involving: imageShape) == 0)
        #expect(recordingBackend.count(of: .convolutionBackwardWeights, involving: imageShape) == 1)
        #expect(weight.gradient != nil && scale.gradient != nil && shift.gradient != nil)
    }
}
