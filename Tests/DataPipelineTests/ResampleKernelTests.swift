import CResample
@testable import DataPipeline
import Testing

/// The SIMD resampling kernels give the scalar kernels' bytes exactly (the PIL goldens check the rest).
///
/// Serialized: the SIMD switch is process-wide.
@Suite(.serialized) struct ResampleKernelTests {
    func randomImage(width: Int, height: Int, channels: Int, seed: UInt64) -> ByteImage {
        var state = seed
        let pixels = (0..<(width * height * channels)).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        return ByteImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    @Test(arguments: [(1, Interpolation.bilinear), (3, .bilinear), (3, .bicubic), (1, .bicubic)])
    func simdAndScalarKernelsAgree(channels: Int, interpolation: Interpolation) {
        let image = randomImage(width: 157, height: 113, channels: channels, seed: UInt64(channels))
        let cases: [(Int, Int, ResizeBox?)] = [
            (224, 224, nil), (64, 48, nil), (31, 97, ResizeBox(left: 3.5, top: 7.25, right: 150.5, bottom: 101)),
            (157, 40, nil), (20, 113, nil),
        ]
        for (width, height, box) in cases {
            let simd = image.resized(width: width, height: height, interpolation: interpolation, box: box)
            hone_resample_set_simd_enabled(0)
            let scalar = image.resized(width: width, height: height, interpolation: interpolation, box: box)
            hone_resample_set_simd_enabled(1)
            #expect(simd == scalar, "\(channels) channels, \(interpolation), \(width)×\(height), box \(String(describing: box))")
        }
    }
}
