import DataPipeline
import Testing

/// Every decodable fixture decodes to PIL's pixels, within the tolerance its manifest entry states.
///
/// Tolerances: 0 (exact) for every JPEG and 8-bit PNG case, since PIL links the
/// same libjpeg-turbo 2.1.5 with the same settings (islow IDCT, fancy
/// upsampling) and the alpha, CMYK and luma arithmetic is PIL's own; 1 for the
/// comparison of 16-bit PNGs with PIL, which keeps the high byte where Hone
/// rounds (the exact rounding has its own goldens with tolerance 0).
struct DecodingGoldenTests {
    @Test func manifestIsComplete() {
        let manifest = DecodingFixtures.manifest
        #expect(manifest.cases.count >= 50)
        #expect(manifest.failures.count >= 7)
        #expect(manifest.probes.count >= 28)
    }

    @Test(arguments: DecodingFixtures.manifest.cases)
    func decodesLikePIL(_ fixture: DecodingFixtures.Case) throws {
        let bytes = try DecodingFixtures.bytes(of: fixture.file)
        let golden = try DecodingFixtures.bytes(of: fixture.golden)

        let image = try ImageDecoder().decode(bytes, path: fixture.file, options: fixture.options)

        #expect(image.width == fixture.width)
        #expect(image.height == fixture.height)
        #expect(image.channels == fixture.channels)
        let difference = try #require(largestDifference(image.pixels, golden), "\(fixture.name): size differs from golden")
        #expect(difference <= fixture.tolerance, "\(fixture.name) (\(fixture.note)): largest difference \(difference)")
    }

    @Test func oneDecoderServesManyImagesInTurn() throws {
        let decoder = ImageDecoder()
        for name in ["jpeg_baseline_420", "png_rgba", "jpeg_cmyk", "jpeg_orientation_6", "jpeg_baseline_420"] {
            let fixture = try #require(DecodingFixtures.manifest.cases.first { $0.name == name })
            let image = try decoder.decode(DecodingFixtures.bytes(of: fixture.file), path: fixture.file)
            #expect(image.pixels == (try DecodingFixtures.bytes(of: fixture.golden)), "\(name)")
        }
    }

    @Test func alphaHandlingChangesTransparentPixelsOnly() throws {
        let bytes = try DecodingFixtures.bytes(of: "png_rgba.png")
        let decoder = ImageDecoder()

        let onWhite = try decoder.decode(bytes, path: "png_rgba.png")
        let onBlack = try decoder.decode(bytes, path: "png_rgba.png", options: .init(alpha: .composite(onto: .black)))
        let discarded = try decoder.decode(bytes, path: "png_rgba.png", options: .init(alpha: .discard))

        let fixturePattern = (red: 250, green: 30, blue: 200)
        #expect(onWhite[0, 0, 0] == 255 && onBlack[0, 0, 0] == 0, "pixel (0, 0) has alpha 0")
        #expect(Int(discarded[0, 0, 0]) == fixturePattern.red)
        #expect(onWhite[0, 1, 1] == discarded[0, 1, 1] && onBlack[0, 1, 1] == discarded[0, 1, 1], "pixel (0, 1) is opaque")
    }
}
