@testable import DataPipeline
import Foundation
import Testing

/// Decoding only a window of a JPEG: the same bytes as the whole decode cropped, for every layout, scale, window and orientation.
///
/// Every comparison is exact (tolerance 0): the region decoder runs the same
/// libjpeg code with the same settings as the whole decode, and the loader
/// promises torchvision's `resized_crop` byte for byte, so any difference,
/// even of one level at a window's edge, is a failure.
struct DecodingRegionTests {
    /// The region fixtures, one per layout libjpeg decodes differently.
    static let layouts = ["region_420", "region_422", "region_444", "region_progressive", "region_grey",
                          "region_orientation_6"]

    /// A region fixture's bytes.
    static func regionFixture(_ name: String) throws -> [UInt8] {
        guard let folder = Bundle.module.url(forResource: "regions", withExtension: nil, subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/regions"])
        }
        return [UInt8](try Data(contentsOf: folder.appendingPathComponent(name + ".jpg")))
    }

    /// Windows of a `width × height` image: the whole, 1-pixel windows at the corners and inside,
    /// strips along each edge, odd offsets, and deterministic random windows.
    static func windows(width: Int, height: Int, randomCount: Int = 40) -> [CropWindow] {
        var windows = [
            CropWindow(top: 0, left: 0, height: height, width: width),
            CropWindow(top: 0, left: 0, height: 1, width: 1),
            CropWindow(top: height - 1, left: width - 1, height: 1, width: 1),
            CropWindow(top: height / 2, left: width / 2, height: 1, width: 1),
            CropWindow(top: 0, left: 0, height: 1, width: width),
            CropWindow(top: height - 1, left: 0, height: 1, width: width),
            CropWindow(top: 0, left: 0, height: height, width: 1),
            CropWindow(top: 0, left: width - 1, height: height, width: 1),
            CropWindow(top: height / 3, left: width / 3, height: height - height / 3, width: width - width / 3),
            CropWindow(top: min(17, height - 1), left: min(9, width - 1), height: max(height - 40, 1),
                       width: max(width - 60, 1)),
        ]
        var generator = CounterRandomGenerator(seed: 3, epoch: 0, stream: .resizedCrop, index: width * 1000 + height)
        for _ in 0..<randomCount {
            let windowWidth = 1 + generator.uniform(below: width)
            let windowHeight = 1 + generator.uniform(below: height)
            windows.append(CropWindow(top: generator.uniform(below: height - windowHeight + 1),
                                      left: generator.uniform(below: width - windowWidth + 1),
                                      height: windowHeight, width: windowWidth))
        }
        return windows
    }

    /// Options that make the decoder pick `factor` for a 131 × 97 fixture (either orientation).
    static func options(decodingAt factor: JPEGScaleFactor, colorMode: ImageColorMode = .rgb) -> ImageDecodingOptions {
        ImageDecodingOptions(colorMode: colorMode, minimumSize: .atLeast(width: factor.scaled(97), height: factor.scaled(97)))
    }

    @Test(arguments: layouts)
    func regionsEqualTheWholeDecodeCroppedAtEveryScale(layout: String) throws {
        let bytes = try Self.regionFixture(layout)
        let decoder = ImageDecoder()
        for factor in JPEGScaleFactor.all {
            let options = Self.options(decodingAt: factor)
            let whole = try decoder.decode(bytes, path: layout, options: options)
            #expect(min(whole.width, whole.height) == factor.scaled(97), "\(layout) decodes at \(factor)")
            for window in Self.windows(width: whole.width, height: whole.height) {
                let region = try decoder.decode(bytes, path: layout, options: options, region: window)
                #expect(region == whole.cropped(window), "\(layout) at \(factor), window \(window)")
            }
        }
    }

    /// Rows right after a skip need the chroma rows above them, columns at a crop edge their neighbours:
    /// every starting row and column across the first iMCUs, at full and half scale.
    @Test(arguments: ["region_420", "region_422", "region_progressive"])
    func windowsStartingAtEveryRowAndColumnOfTheFirstIMCUsAreExact(layout: String) throws {
        let bytes = try Self.regionFixture(layout)
        let decoder = ImageDecoder()
        for factor in [JPEGScaleFactor.full, .half] {
            let options = Self.options(decodingAt: factor)
            let whole = try decoder.decode(bytes, path: layout, options: options)
            for start in 0..<min(40, whole.height - 3) {
                let rows = CropWindow(top: start, left: 0, height: 3, width: whole.width)
                let columns = CropWindow(top: 0, left: start, height: whole.height, width: 3)
                #expect(try decoder.decode(bytes, path: layout, options: options, region: rows) == whole.cropped(rows),
                        "\(layout) at \(factor), rows from \(start)")
                #expect(try decoder.decode(bytes, path: layout, options: options, region: columns) == whole.cropped(columns),
                        "\(layout) at \(factor), columns from \(start)")
            }
        }
    }

    /// The comparison above would pass if every region fell back to the whole decode; this one calls the libjpeg path itself.
    @Test(arguments: layouts)
    func theLibjpegRegionPathDecodesEveryLayoutItself(layout: String) throws {
        let bytes = try Self.regionFixture(layout)
        for factor in [JPEGScaleFactor.full, .half] {
            let stored = try ImageDecoder().decode(bytes, path: layout,
                                                   options: .init(minimumSize: Self.options(decodingAt: factor).minimumSize,
                                                                  appliesExifOrientation: false))
            let window = CropWindow(top: stored.height / 2 + 1, left: stored.width / 3 + 1,
                                    height: stored.height / 3, width: stored.width / 2)
            let rows = try JPEGRegionDecompressor.decodeRows(bytes, scale: factor, window: window,
                                                             scaledWidth: stored.width, channels: 3, path: layout)
            guard let rows else {
                Issue.record("\(layout) at \(factor) went to the whole decode")
                continue
            }
            let inRows = CropWindow(top: 0, left: window.left, height: window.height, width: window.width)
            #expect(rows.cropped(inRows) == stored.cropped(window), "\(layout) at \(factor)")
            #expect(rows.cropped(CropWindow(top: 0, left: 0, height: window.height, width: 8)).pixels.allSatisfy { $0 == 0 },
                    "\(layout) at \(factor): columns left of the decoded iMCUs are zero")
        }
    }

    @Test(arguments: ["region_420", "region_grey", "region_progressive"])
    func greyRegionsEqualTheWholeGreyDecodeCropped(layout: String) throws {
        let bytes = try Self.regionFixture(layout)
        let decoder = ImageDecoder()
        let options = Self.options(decodingAt: .full, colorMode: .grey)
        let whole = try decoder.decode(bytes, path: layout, options: options)
        #expect(whole.channels == 1)
        for window in Self.windows(width: whole.width, height: whole.height, randomCount: 10) {
            #expect(try decoder.decode(bytes, path: layout, options: options, region: window) == whole.cropped(window),
                    "\(layout), window \(window)")
        }
    }

    @Test(arguments: 1...8)
    func regionsFollowTheExifOrientation(orientation: Int) throws {
        let name = "jpeg_orientation_\(orientation).jpg"
        let bytes = try DecodingFixtures.bytes(of: name)
        let decoder = ImageDecoder()
        for appliesOrientation in [true, false] {
            let options = ImageDecodingOptions(appliesExifOrientation: appliesOrientation)
            let whole = try decoder.decode(bytes, path: name, options: options)
            for window in Self.windows(width: whole.width, height: whole.height, randomCount: 12) {
                #expect(try decoder.decode(bytes, path: name, options: options, region: window) == whole.cropped(window),
                        "\(name), orientation applied: \(appliesOrientation), window \(window)")
            }
        }
    }

    /// Each displayed pixel of an oriented window comes from the stored rectangle the mapping names.
    @Test(arguments: ExifOrientation.allCases)
    func storedWindowsOrientOntoTheDisplayedWindow(orientation: ExifOrientation) {
        let (width, height) = (7, 5)
        let stored = ByteImage(width: width, height: height, channels: 1, pixels: (0..<(width * height)).map { UInt8($0) })
        let displayed = stored.applyingOrientation(orientation)
        for window in Self.windows(width: displayed.width, height: displayed.height, randomCount: 20) {
            let storedWindow = orientation.storedWindow(ofDisplayed: window, storedWidth: width, storedHeight: height)
            #expect(stored.cropped(storedWindow).applyingOrientation(orientation) == displayed.cropped(window),
                    "\(orientation), window \(window) from \(storedWindow)")
        }
    }

    @Test func inPlaceRegionsHoldTheWholeDecodeInsideTheWindow() throws {
        let bytes = try Self.regionFixture("region_420")
        let decoder = ImageDecoder()
        let options = Self.options(decodingAt: .half)
        let whole = try decoder.decode(bytes, path: "r.jpg", options: options)
        let window = CropWindow(top: 21, left: 13, height: 17, width: 29)

        let placed = try decoder.decode(bytes, path: "r.jpg", options: options, region: window, placement: .inPlace)

        #expect(placed.width == whole.width && placed.height == whole.height)
        #expect(placed.cropped(window) == whole.cropped(window))
        #expect(placed.cropped(CropWindow(top: 0, left: 0, height: 21, width: whole.width)).pixels.allSatisfy { $0 == 0 },
                "rows above the window are not decoded")
    }

    @Test func decodedSizeIsTheSizeTheDecoderGives() throws {
        let decoder = ImageDecoder()
        for name in ["region_orientation_6", "region_420"] {
            let bytes = try Self.regionFixture(name)
            let header = try ImageHeader.probe(bytes, path: name)
            for factor in JPEGScaleFactor.all {
                for applies in [true, false] {
                    var options = Self.options(decodingAt: factor)
                    options.appliesExifOrientation = applies
                    let image = try decoder.decode(bytes, path: name, options: options)
                    let size = ImageDecoder.decodedSize(of: header, options: options)
                    #expect(size.width == image.width && size.height == image.height, "\(name) at \(factor), \(applies)")
                }
            }
        }
        let png = try DecodingFixtures.bytes(of: "png_orientation_6.png")
        let pngSize = ImageDecoder.decodedSize(of: try ImageHeader.probe(png, path: "p.png"), options: .init())
        let pngImage = try decoder.decode(png, path: "p.png")
        #expect(pngSize.width == pngImage.width && pngSize.height == pngImage.height)
    }

    @Test(arguments: ["jpeg_cmyk.jpg", "png_rgb.png", "png_orientation_6.png"])
    func filesOutsideTheLibjpegPathAreCroppedFromTheWholeDecode(name: String) throws {
        let bytes = try DecodingFixtures.bytes(of: name)
        let decoder = ImageDecoder()
        let whole = try decoder.decode(bytes, path: name)
        for window in Self.windows(width: whole.width, height: whole.height, randomCount: 5) {
            #expect(try decoder.decode(bytes, path: name, region: window) == whole.cropped(window), "\(name), \(window)")
        }
    }

    @Test func aWindowReachingPastTheImageIsZeroOutsideAsACropIs() throws {
        let bytes = try Self.regionFixture("region_444")
        let decoder = ImageDecoder()
        let whole = try decoder.decode(bytes, path: "r.jpg")
        let window = CropWindow(top: 90, left: -3, height: 12, width: 20)

        #expect(try decoder.decode(bytes, path: "r.jpg", region: window) == whole.cropped(window))
    }

    /// A file cut short below the window still fails, although the window's rows are all there.
    @Test func aFileTruncatedBelowTheWindowFailsAsTruncated() throws {
        let bytes = try Self.regionFixture("region_420")
        let truncated = Array(bytes.prefix(bytes.count * 3 / 4))
        let window = CropWindow(top: 0, left: 0, height: 8, width: 20)

        #expect {
            try ImageDecoder().decode(truncated, path: "cut.jpg", region: window)
        } throws: { error in
            (error as? ImageDecodingError)?.category == .truncated
        }
    }

    /// A file cut inside the window fails in the libjpeg path itself, not only through the end-marker check.
    @Test func dataEndingInsideTheWindowFailsInLibjpeg() throws {
        let bytes = try Self.regionFixture("region_420")
        var truncated = Array(bytes.prefix(bytes.count / 2))
        truncated += [0xFF, 0xD9]
        let window = CropWindow(top: 0, left: 0, height: 97, width: 131)

        #expect {
            _ = try JPEGRegionDecompressor.decodeRows(truncated, scale: .full, window: window, scaledWidth: 131,
                                                      channels: 3, path: "cut.jpg")
        } throws: { error in
            guard let error = error as? ImageDecodingError else { return false }
            return error.category == .corrupt || error.category == .truncated
        }
    }

    @Test func aWindowOutsideTheImageLibjpegReadsIsRefused() throws {
        let bytes = try Self.regionFixture("region_444")

        #expect(throws: ImageDecodingError.self) {
            _ = try JPEGRegionDecompressor.decodeRows(bytes, scale: .half, window: CropWindow(top: 40, left: 0, height: 10, width: 10),
                                                      scaledWidth: 66, channels: 3, path: "r.jpg")
        }
    }
}
