import CPUBackend
import TensorCore
import Testing
import TestSupport

/// oneDNN primitives are made once per shape, layout and type, then reused.
///
/// Each test uses a backend of its own (never installed with `Compute.use`), so
/// tests running in parallel on the shared backend cannot change its count.
@Suite struct PrimitiveCacheTests {
    @Test func repeatedConvolutionStepReusesItsPrimitives() {
        _ = testBackend
        let backend = CPUBackend(threads: 2)
        let geometry = ConvolutionGeometry(stride: 2, padding: 1)
        func step(seed: UInt64) {
            let input = ReferenceTensor.random(shape: [2, 16, 7, 9], seed: seed).tensor()
            let weight = ReferenceTensor.random(shape: [8, 16, 3, 3], seed: seed + 1).tensor()
            let bias = ReferenceTensor.random(shape: [8], seed: seed + 2).tensor()
            let output = backend.convolutionForward(input: input, weight: weight, bias: bias, geometry: geometry)
            _ = backend.convolutionBackwardData(gradientOfOutput: output, weight: weight, inputShape: input.shape,
                                                geometry: geometry)
            _ = backend.convolutionBackwardWeights(input: input, gradientOfOutput: output, weightShape: weight.shape,
                                                   geometry: geometry, includeBias: true, gradientType: .float32)
        }
        step(seed: 800)
        let afterFirst = backend.cachedPrimitiveCount
        #expect(afterFirst > 0)
        step(seed: 810)
        #expect(backend.cachedPrimitiveCount == afterFirst)
    }

    @Test func differentGeometryMakesANewPrimitive() {
        _ = testBackend
        let backend = CPUBackend(threads: 2)
        let input = ReferenceTensor.random(shape: [1, 4, 6, 6], seed: 820).tensor()
        let weight = ReferenceTensor.random(shape: [4, 4, 3, 3], seed: 821).tensor()
        _ = backend.convolutionForward(input: input, weight: weight, bias: nil, geometry: ConvolutionGeometry(padding: 1))
        let afterFirst = backend.cachedPrimitiveCount
        _ = backend.convolutionForward(input: input, weight: weight, bias: nil, geometry: ConvolutionGeometry(padding: 1))
        #expect(backend.cachedPrimitiveCount == afterFirst)
        _ = backend.convolutionForward(input: input, weight: weight, bias: nil, geometry: ConvolutionGeometry(padding: 0))
        #expect(backend.cachedPrimitiveCount > afterFirst)
    }

    @Test func repeatedBatchNormAndPoolingReuseTheirPrimitives() {
        _ = testBackend
        let backend = CPUBackend(threads: 2)
        let geometry = PoolingGeometry(kind: .max, kernel: 3, stride: 2, padding: 1)
        func step(seed: UInt64) {
            let input = ReferenceTensor.random(shape: [2, 3, 7, 9], seed: seed).tensor()
            let scale = Tensor(repeating: 1, shape: [3])
            let shift = Tensor(repeating: 0, shape: [3])
            let saved = backend.batchNormTrainingForward(input: input, scale: scale, shift: shift, epsilon: 1e-5,
                                                         fuseReLU: true)
            _ = backend.batchNormBackward(gradientOfOutput: saved.output, input: input, scale: scale, shift: shift,
                                          saved: saved.statistics, epsilon: 1e-5, fuseReLU: true, useGlobalStatistics: false)
            let (pooled, workspace) = backend.poolingForward(input: saved.output, geometry: geometry)
            _ = backend.poolingBackward(gradientOfOutput: pooled, input: saved.output, geometry: geometry,
                                        workspace: workspace)
        }
        step(seed: 830)
        let afterFirst = backend.cachedPrimitiveCount
        step(seed: 840)
        #expect(backend.cachedPrimitiveCount == afterFirst)
    }

    /// A whole small training step — every kind of kernel, blocked activations, bfloat16 too — made twice makes nothing new.
    @Test(arguments: DType.allCases.filter { $0 == .float32 || CPUBackend.hasBFloat16Kernels })
    func repeatedTrainingStepReusesEveryPrimitive(dtype: DType) {
        _ = testBackend
        let backend = CPUBackend(threads: 2)
        let averagePool = PoolingGeometry(kind: .average(countIncludePadding: true), kernel: 3, stride: 2, padding: 1,
                                          ceilMode: true)
        func step(seed: UInt64) {
            let input = ReferenceTensor.random(shape: [2, 3, 10, 10], seed: seed).tensor(dtype: dtype)
            let weight = ReferenceTensor.random(shape: [16, 3, 3, 3], seed: seed + 1).tensor(dtype: dtype)
            let convolved = backend.convolutionForward(input: input, weight: weight, bias: nil,
                                                       geometry: ConvolutionGeometry(padding: 1))
            let (scale, shift) = (Tensor(repeating: 1, shape: [16]), Tensor(zeros: [16]))
            let saved = backend.batchNormTrainingForward(input: convolved, scale: scale, shift: shift, epsilon: 1e-5,
                                                         fuseReLU: false)
            let activated = backend.reluForward(backend.add(saved.output, convolved))
            let (pooled, workspace) = backend.poolingForward(input: activated, geometry: averagePool)
            let features = backend.reorder(pooled, to: .plain).reshaped([2, 16 * 6 * 6])
            let classifier = ReferenceTensor.random(shape: [10, 16 * 6 * 6], seed: seed + 2).tensor(dtype: dtype)
            let logits = backend.linearForward(input: features, weight: classifier, bias: Tensor(zeros: [10]))
            let gradient = backend.scale(logits, by: 0.5)
            let featureGradient = backend.linearBackwardData(gradientOfOutput: gradient, weight: classifier)
            _ = backend.linearBackwardWeights(input: features, gradientOfOutput: gradient, weightShape: classifier.shape,
                                              includeBias: true, gradientType: .float32)
            let pooledGradient = backend.multiply(featureGradient.reshaped(pooled.shape),
                                                  perSampleScale: Tensor(repeating: 1, shape: [2]))
            let activatedGradient = backend.poolingBackward(gradientOfOutput: pooledGradient, input: activated,
                                                            geometry: averagePool, workspace: workspace)
            let sumGradient = backend.reluBackward(gradientOfOutput: activatedGradient, output: activated)
            let normalizedGradient = backend.batchNormBackward(gradientOfOutput: sumGradient, input: convolved,
                                                               scale: scale, shift: shift, saved: saved.statistics, epsilon: 1e-5,
                                                               fuseReLU: false, useGlobalStatistics: false)
            _ = backend.convolutionBackwardWeights(input: input, gradientOfOutput: backend.add(normalizedGradient.input,
                                                                                               sumGradient),
                                                   weightShape: weight.shape, geometry: ConvolutionGeometry(padding: 1),
                                                   includeBias: false, gradientType: .float32)
        }
        step(seed: 850)
        let afterFirst = backend.cachedPrimitiveCount
        step(seed: 860)
        #expect(backend.cachedPrimitiveCount == afterFirst)
    }
}
