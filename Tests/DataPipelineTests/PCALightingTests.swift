@testable import DataPipeline
import Testing

/// PCA lighting: the offsets follow fb.resnet.torch's formula and the weights are N(0, alphastd²) per sample.
struct PCALightingTests {
    @Test func offsetsAreEigenvectorsWeightedByAlphaTimesEigenvalue() {
        let offsets = PCALighting.offsets(weights: [1, 0, 0])
        #expect(offsets == [Float(-0.5675 * 0.2175), Float(-0.5808 * 0.2175), Float(-0.5836 * 0.2175)])
        let mixed = PCALighting.offsets(weights: [0.1, -0.2, 0.3])
        let expectedRed = -0.5675 * 0.1 * 0.2175 + 0.7192 * -0.2 * 0.0188 + 0.4009 * 0.3 * 0.0045
        let expectedBlue = -0.5836 * 0.1 * 0.2175 + -0.6948 * -0.2 * 0.0188 + 0.4203 * 0.3 * 0.0045
        #expect(abs(Double(mixed[0]) - expectedRed) < 1e-7 && abs(Double(mixed[2]) - expectedBlue) < 1e-7)
    }

    @Test func weightsAreNormalWithTheGivenDeviationAndDeterministic() {
        let lighting = PCALighting(standardDeviation: 0.1)
        var values: [Double] = []
        for index in 0..<4000 {
            let weights = lighting.drawWeights(seed: 3, epoch: 1, index: index)
            #expect(weights == lighting.drawWeights(seed: 3, epoch: 1, index: index))
            values += weights
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        #expect(abs(mean) < 0.004 && abs(deviation - 0.1) < 0.004, "mean \(mean), deviation \(deviation)")
        #expect(lighting.drawWeights(seed: 3, epoch: 1, index: 0) != lighting.drawWeights(seed: 3, epoch: 2, index: 0))
        #expect(PCALighting(standardDeviation: 0).offsets(seed: 3, epoch: 1, index: 5) == [0, 0, 0])
    }
}
