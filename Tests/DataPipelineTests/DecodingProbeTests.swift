import DataPipeline
import Testing

/// Format sniffing and the header-only probe a scanner runs on every file.
struct DecodingProbeTests {
    @Test(arguments: DecodingFixtures.manifest.probes)
    func probeReportsWhatTheFileStores(_ expected: DecodingFixtures.Probe) throws {
        let bytes = try DecodingFixtures.bytes(of: expected.file)
        #expect(ImageFormat(sniffing: bytes).rawValue == expected.format)
        guard expected.format == "jpeg" || expected.format == "png" else {
            let error = #expect(throws: ImageDecodingError.self) { try ImageHeader.probe(bytes, path: expected.file) }
            #expect(error?.format.rawValue == expected.format)
            #expect(error?.category == .unsupportedFormat)
            return
        }

        let header = try ImageHeader.probe(bytes, path: expected.file)

        #expect(header.format.rawValue == expected.format)
        #expect(header.width == expected.width)
        #expect(header.height == expected.height)
        #expect(header.orientation?.rawValue == expected.orientation)
        if let orientedWidth = expected.orientedWidth, let orientedHeight = expected.orientedHeight {
            #expect(header.displayedWidth == orientedWidth)
            #expect(header.displayedHeight == orientedHeight)
        }
        switch header {
        case let .jpeg(jpeg):
            #expect(jpeg.colorSpace.rawValue == expected.jpegColorSpace)
            #expect(jpeg.precision == 8)
            #expect(jpeg.isProgressive == (expected.file == "jpeg_progressive.jpg"))
        case let .png(png):
            #expect(png.colorType.rawValue == pngColorTypeCode(expected.pngColorType))
            #expect(png.bitDepth == expected.pngBitDepth)
            #expect(png.hasTransparencyChunk == (expected.pngHasTransparency ?? false))
            #expect(png.isInterlaced == (expected.pngInterlaced ?? false))
        }
    }

    @Test func formatsAreSniffedFromLeadingBytes() {
        let samples: [(ImageFormat, [UInt8])] = [
            (.jpeg, [0xFF, 0xD8, 0xFF, 0xE0]),
            (.png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00]),
            (.gif, Array("GIF89a".utf8)),
            (.gif, Array("GIF87a".utf8)),
            (.webp, Array("RIFF".utf8) + [0x10, 0, 0, 0] + Array("WEBPVP8 ".utf8)),
            (.bmp, Array("BM".utf8) + [0, 0, 0, 0]),
            (.tiff, [0x49, 0x49, 0x2A, 0x00]),
            (.tiff, [0x4D, 0x4D, 0x00, 0x2A]),
            (.unknown, Array("RIFF".utf8) + [0x10, 0, 0, 0] + Array("WAVE".utf8)),
            (.unknown, [0xFF, 0xD8]),
            (.unknown, []),
        ]
        for (format, bytes) in samples {
            #expect(ImageFormat(sniffing: bytes) == format, "\(bytes)")
        }
    }

    @Test func pngNamedJPEGIsProbedAsPNG() throws {
        let bytes = try DecodingFixtures.bytes(of: "png_named_as.jpg")

        #expect(try ImageHeader.probe(bytes, path: "n02105855_2933.JPEG").format == .png)
    }

    @Test func emptyFileIsItsOwnCategory() {
        let error = #expect(throws: ImageDecodingError.self) { try ImageHeader.probe([], path: "empty.jpg") }

        #expect(error?.category == .emptyFile)
        #expect(error?.description.contains("empty.jpg") == true)
    }

    @Test func probeReadsNoEntropyCodedData() throws {
        let truncated = try DecodingFixtures.bytes(of: "jpeg_truncated.jpg")
        let baseline = try DecodingFixtures.bytes(of: "jpeg_baseline_420.jpg")
        let startOfScan = try #require(baseline.indices.dropLast().first { baseline[$0] == 0xFF && baseline[$0 + 1] == 0xDA })
        let headersOnly = Array(baseline.prefix(startOfScan + 14))

        #expect(try ImageHeader.probe(truncated, path: "cut.jpg").width == 17)
        #expect(try ImageHeader.probe(headersOnly, path: "headers.jpg").height == 11)
    }

    @Test func probeOfHeadersCutShortIsTruncated() throws {
        let baseline = try DecodingFixtures.bytes(of: "jpeg_baseline_420.jpg")
        let png = try DecodingFixtures.bytes(of: "png_rgb.png")

        let jpegError = #expect(throws: ImageDecodingError.self) {
            try ImageHeader.probe(Array(baseline.prefix(100)), path: "a.jpg")
        }
        let pngError = #expect(throws: ImageDecodingError.self) {
            try ImageHeader.probe(Array(png.prefix(30)), path: "a.png")
        }

        #expect(jpegError?.category == .truncated)
        #expect(pngError?.category == .truncated)
    }

    @Test func jpegWithoutStartOfImageIsCorrupt() {
        let error = #expect(throws: ImageDecodingError.self) {
            try JPEGHeader(parsing: [0xFF, 0xD9, 0xFF, 0x00], path: "x.jpg")
        }

        #expect(error?.category == .corrupt)
        #expect(error?.reason.contains("ff d8") == true)
    }

    @Test func pngWithBadIHDRIsCorrupt() throws {
        var png = try DecodingFixtures.bytes(of: "png_rgb.png")
        png[24] = 3

        let error = #expect(throws: ImageDecodingError.self) { try PNGHeader(parsing: png, path: "x.png") }

        #expect(error?.category == .corrupt)
        #expect(error?.reason.contains("bit depth is 3") == true)
    }

    /// The IHDR code of a colour type named as the manifest names it.
    private func pngColorTypeCode(_ name: String?) -> Int? {
        switch name {
        case "grey": return 0
        case "rgb": return 2
        case "palette": return 3
        case "greyAlpha": return 4
        case "rgba": return 6
        default: return nil
        }
    }
}
