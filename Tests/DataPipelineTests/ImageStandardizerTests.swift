@testable import DataPipeline
import Testing

/// `ToTensor` then `Normalize`: CHW floats equal to `(x / 255 − mean) / std` in Float, with lighting offsets folded in.
struct ImageStandardizerTests {
    @Test func writesChannelPlanesEqualToTorchvisionsFloatFormula() throws {
        let source = try #require(try TransformFixture.load().sources["rgb"])
        let standardizer = ImageStandardizer.imageNet
        let output = standardizer.standardized(source)
        let plane = source.width * source.height
        #expect(output.count == 3 * plane)
        let mean: [Float] = [0.485, 0.456, 0.406]
        let deviation: [Float] = [0.229, 0.224, 0.225]
        for row in 0..<source.height {
            for column in 0..<source.width {
                for channel in 0..<3 {
                    let byte = Float(source[row, column, channel])
                    let expected = (byte / 255 - mean[channel]) / deviation[channel]
                    #expect(output[channel * plane + row * source.width + column] == expected)
                }
            }
        }
    }

    @Test func lightingOffsetsAreAddedBeforeTheMeanIsSubtracted() throws {
        let source = try #require(try TransformFixture.load().sources["rgb"])
        let standardizer = ImageStandardizer.imageNet
        let offsets = PCALighting().offsets(seed: 1, epoch: 0, index: 3)
        #expect(offsets.contains { $0 != 0 })
        let output = standardizer.standardized(source, lightingOffsets: offsets)
        let plain = standardizer.standardized(source)
        let plane = source.width * source.height
        let mean: [Float] = [0.485, 0.456, 0.406]
        let deviation: [Float] = [0.229, 0.224, 0.225]
        for position in 0..<plane {
            for channel in 0..<3 {
                let byte = Float(source.pixels[position * 3 + channel])
                let expected = (byte / 255 + offsets[channel] - mean[channel]) / deviation[channel]
                #expect(output[channel * plane + position] == expected)
                #expect(output[channel * plane + position] != plain[channel * plane + position])
            }
        }
    }

    @Test func greyImagesUseTheirSingleChannelsStatistics() {
        let standardizer = ImageStandardizer(statistics: ChannelStatistics(mean: [0.5], deviation: [0.25]))
        let image = ByteImage(width: 2, height: 1, channels: 1, pixels: [0, 255])
        #expect(standardizer.standardized(image) == [-2, 2])
    }
}
