import DataPipeline
import Testing

/// Choosing TurboJPEG's DCT scale from a minimum size, and decoding at it.
struct DecodingScaleTests {
    @Test func scaledSidesRoundUpLikeTJSCALED() {
        #expect(JPEGScaleFactor.eighth.scaled(41) == 6)
        #expect(JPEGScaleFactor.quarter.scaled(27) == 7)
        #expect(JPEGScaleFactor.half.scaled(375) == 188)
        #expect(JPEGScaleFactor.full.scaled(375) == 375)
        #expect(JPEGScaleFactor.eighth.scaled(1) == 1)
    }

    @Test func smallestFactorStillCoveringTheMinimumIsChosen() {
        func choose(_ width: Int, _ height: Int, _ minimum: MinimumDecodedSize, swapped: Bool = false) -> JPEGScaleFactor {
            JPEGScaleFactor.smallest(forStoredWidth: width, height: height, meeting: minimum, swapsWidthAndHeight: swapped)
        }

        #expect(choose(500, 375, .fullResolution) == .full)
        #expect(choose(500, 375, .shorterSideAtLeast(256)) == .full)
        #expect(choose(1000, 750, .shorterSideAtLeast(256)) == .half)
        #expect(choose(1000, 750, .shorterSideAtLeast(188)) == .quarter)
        #expect(choose(500, 375, .atLeast(width: 63, height: 47)) == .eighth)
        #expect(choose(500, 375, .atLeast(width: 64, height: 47)) == .quarter)
        #expect(choose(500, 375, .atLeast(width: 600, height: 10)) == .full, "nothing covers it: full resolution")
        #expect(choose(41, 27, .atLeast(width: 14, height: 21), swapped: false) == .full)
        #expect(choose(41, 27, .atLeast(width: 14, height: 21), swapped: true) == .half)
    }

    @Test(arguments: [JPEGScaleFactor.full, .half, .quarter, .eighth])
    func decodedSizeIsTheScaledSize(factor: JPEGScaleFactor) throws {
        let bytes = try DecodingFixtures.bytes(of: "jpeg_scaled_source.jpg")
        let decoder = ImageDecoder()
        let width = factor.scaled(41)
        let height = factor.scaled(27)

        let exact = try decoder.decode(bytes, path: "s.jpg", options: .init(minimumSize: .atLeast(width: width, height: height)))
        let onePixelMore = try decoder.decode(
            bytes, path: "s.jpg", options: .init(minimumSize: .atLeast(width: width + 1, height: height))
        )

        #expect(exact.width == width && exact.height == height)
        if factor != .full {
            #expect(onePixelMore.width > width, "one more column needs the next larger factor")
        }
    }

    @Test func pngIgnoresTheMinimumSize() throws {
        let bytes = try DecodingFixtures.bytes(of: "png_rgb.png")

        let image = try ImageDecoder().decode(bytes, path: "a.png", options: .init(minimumSize: .atLeast(width: 1, height: 1)))

        #expect(image.width == 17 && image.height == 11)
    }

    @Test func factorsOrderBySize() {
        #expect(JPEGScaleFactor.all == JPEGScaleFactor.all.sorted())
        #expect(JPEGScaleFactor.eighth < .full)
        #expect(JPEGScaleFactor.quarter.description == "1/4")
    }
}
