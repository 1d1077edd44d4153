import TensorCore
import Testing
import TestSupport

/// `Reference.pool2d` and `Reference.globalAveragePool` against PyTorch, ceil mode and padding divisors included.
struct PoolingReferenceTests {
    /// The pooling geometry a fixture case was recorded with.
    private func geometry(_ recorded: ReferenceFixture.Case, kind: PoolingGeometry.Kind) throws -> PoolingGeometry {
        PoolingGeometry(kind: kind, kernel: try recorded.pair("kernel"), stride: try recorded.pair("stride"),
                        padding: try recorded.pair("padding"), ceilMode: try recorded.integers("ceil_mode") == [1])
    }

    @Test(arguments: ["max_pool_3_2_1", "max_pool_ceil_mode", "max_pool_ceil_mode_trimmed"])
    func maxPoolMatchesPyTorch(caseName: String) throws {
        let recorded = try ReferenceFixture.named(caseName)
        let output = Reference.pool2d(input: try recorded.tensor("input"),
                                      geometry: try geometry(recorded, kind: .max))
        expectClose(output, try recorded.tensor("output"), tolerance: .float64)
    }

    @Test(arguments: [
        "average_pool_ceil_past_padding_include", "average_pool_ceil_past_padding_exclude",
        "average_pool_ceil_odd_include", "average_pool_ceil_odd_exclude",
        "average_pool_ceil_trimmed_include", "average_pool_ceil_trimmed_exclude",
        "average_pool_anisotropic_include",
    ])
    func averagePoolCeilModeMatchesPyTorch(caseName: String) throws {
        let recorded = try ReferenceFixture.named(caseName)
        let countIncludePadding = try recorded.integers("count_include_pad") == [1]
        let output = Reference.pool2d(input: try recorded.tensor("input"),
                                      geometry: try geometry(recorded, kind: .average(countIncludePadding: countIncludePadding)))
        expectClose(output, try recorded.tensor("output"), tolerance: .float64)
    }

    @Test func averagePoolDividesByTheWindowClippedToThePaddedInput() {
        // 1×1×1×6 of ones, kernel 3, stride 2, padding 1, ceil mode: windows start at −1, 1, 3, 5;
        // the last covers [5, 8) but the padded input ends at 7, so it divides by 2, not 3.
        let input = ReferenceTensor(repeating: 1, shape: [1, 1, 1, 6])
        let including = PoolingGeometry(kind: .average(countIncludePadding: true), kernel: (1, 3), stride: (1, 2),
                                        padding: (0, 1), ceilMode: true)
        let excluding = PoolingGeometry(kind: .average(countIncludePadding: false), kernel: (1, 3), stride: (1, 2),
                                        padding: (0, 1), ceilMode: true)
        #expect(Reference.pool2d(input: input, geometry: including).values == [2.0 / 3, 1, 1, 1.0 / 2])
        #expect(Reference.pool2d(input: input, geometry: excluding).values == [1, 1, 1, 1])
    }

    @Test func maxPoolNeverPicksPadding() {
        let input = ReferenceTensor(repeating: -5, shape: [1, 1, 2, 2])
        let output = Reference.pool2d(input: input, geometry: PoolingGeometry(kind: .max, kernel: 2, stride: 1, padding: 1))
        #expect(output.shape == [1, 1, 3, 3])
        #expect(output.values.allSatisfy { $0 == -5 })
    }

    @Test func globalAveragePoolAveragesEachPlane() {
        let input = ReferenceTensor(shape: [1, 2, 1, 2], values: [1, 3, -2, 6])
        let output = Reference.globalAveragePool(input)
        #expect(output.shape == [1, 2])
        #expect(output.values == [2, 2])
    }
}
