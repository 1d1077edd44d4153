import DataPipeline
import Foundation
import Testing

/// Bad files throw the documented category with the file's name, and never crash, hang or half-decode.
struct DecodingFailureTests {
    @Test(arguments: DecodingFixtures.manifest.failures)
    func badFileThrowsItsCategory(_ fixture: DecodingFixtures.Failure) throws {
        let bytes = try DecodingFixtures.bytes(of: fixture.file)
        let path = "train/n01440764/\(fixture.file)"

        let error = #expect(throws: ImageDecodingError.self) { try ImageDecoder().decode(bytes, path: path) }

        #expect(error?.category.rawValue == fixture.category, "\(error?.description ?? "no error")")
        #expect(error?.path == path)
        #expect(error?.description.contains(path) == true)
    }

    @Test func truncatedJPEGReportsTurboJPEGsWarning() throws {
        let bytes = try DecodingFixtures.bytes(of: "jpeg_truncated.jpg")

        let error = #expect(throws: ImageDecodingError.self) { try ImageDecoder().decode(bytes, path: "cut.jpg") }

        #expect(error?.format == .jpeg)
        #expect(error?.reason.contains("Premature end of JPEG file") == true)
    }

    @Test func unsupportedFormatsAreNamed() throws {
        let gif = try DecodingFixtures.bytes(of: "gif_image.gif")

        let error = #expect(throws: ImageDecodingError.self) { try ImageDecoder().decode(gif, path: "a.jpg") }

        #expect(error?.format == .gif)
        #expect(error?.category == .unsupportedFormat)
        #expect(error?.description.contains("GIF") == true)
    }

    @Test func everyPrefixOfAJPEGFailsCleanly() throws {
        let whole = try DecodingFixtures.bytes(of: "jpeg_baseline_420.jpg")
        let decoder = ImageDecoder()
        var categories = Set<ImageDecodingError.Category>()

        for length in 0..<whole.count {
            let error = #expect(throws: ImageDecodingError.self) {
                try decoder.decode(Array(whole.prefix(length)), path: "prefix.jpg")
            }
            if let error { categories.insert(error.category) }
        }

        #expect(categories.isSubset(of: [.emptyFile, .unsupportedFormat, .truncated, .corrupt]))
        #expect(categories.contains(.truncated))
        #expect(try decoder.decode(whole, path: "whole.jpg").width == 17)
    }

    @Test func everyPrefixOfAPNGFailsCleanly() throws {
        let whole = try DecodingFixtures.bytes(of: "png_rgb.png")
        let decoder = ImageDecoder()
        let imageEnd = whole.count - 12

        for length in 0..<imageEnd {
            let error = #expect(throws: ImageDecodingError.self) {
                try decoder.decode(Array(whole.prefix(length)), path: "prefix.png")
            }
            #expect(error.map { [.emptyFile, .unsupportedFormat, .truncated, .corrupt].contains($0.category) } == true)
        }
    }

    @Test func flippedBytesNeverCrashTheDecoders() throws {
        let decoder = ImageDecoder()
        for name in ["jpeg_orientation_6.jpg", "jpeg_progressive.jpg", "png_palette_trns.png", "png_interlaced.png"] {
            let whole = try DecodingFixtures.bytes(of: name)
            for position in stride(from: 0, to: whole.count, by: 3) {
                var damaged = whole
                damaged[position] ^= 0xA5
                if let image = try? decoder.decode(damaged, path: name) {
                    #expect(image.pixels.count == image.width * image.height * 3)
                }
            }
        }
    }

    @Test func oversizedJPEGHeaderIsRefusedBeforeDecoding() throws {
        let header: [UInt8] = [
            0xFF, 0xD8,
            0xFF, 0xC0, 0x00, 0x11, 0x08, 0xEA, 0x60, 0xEA, 0x60, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
            0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00,
        ]

        let error = #expect(throws: ImageDecodingError.self) { try ImageDecoder().decode(header, path: "bomb.jpg") }

        #expect(error?.category == .tooLarge)
        #expect(error?.description.contains("60000×60000") == true)
        #expect(try ImageHeader.probe(header, path: "bomb.jpg").width == 60000, "probing reports the size without limits")
    }

    @Test func oversizedPNGHeaderIsRefusedBeforeDecoding() {
        let header = pngHeader(width: 20000, height: 20000)

        let error = #expect(throws: ImageDecodingError.self) { try ImageDecoder().decode(header, path: "bomb.png") }

        #expect(error?.category == .tooLarge, "20000² pixels exceed 2^28; libpng would have reported missing data")
    }

    @Test func limitsAreConfigurable() throws {
        let bytes = try DecodingFixtures.bytes(of: "jpeg_baseline_420.jpg")
        let decoder = ImageDecoder()

        let sideError = #expect(throws: ImageDecodingError.self) {
            try decoder.decode(bytes, path: "a.jpg", options: .init(limits: ImageSizeLimits(maximumSide: 16)))
        }
        let pixelError = #expect(throws: ImageDecodingError.self) {
            try decoder.decode(bytes, path: "a.jpg", options: .init(limits: ImageSizeLimits(maximumPixels: 17 * 11 - 1)))
        }

        #expect(sideError?.category == .tooLarge)
        #expect(pixelError?.category == .tooLarge)
        let exactFit = ImageDecodingOptions(limits: ImageSizeLimits(maximumSide: 17, maximumPixels: 17 * 11))
        #expect(try decoder.decode(bytes, path: "a.jpg", options: exactFit).width == 17)
    }

    @Test func missingFileIsUnreadable() {
        let url = URL(fileURLWithPath: "/nonexistent/hone/missing.jpg")

        let error = #expect(throws: ImageDecodingError.self) { try ImageDecoder().decode(contentsOf: url) }

        #expect(error?.category == .unreadableFile)
        #expect(error?.description.contains("/nonexistent/hone/missing.jpg") == true)
    }

    @Test func fileOnDiskDecodesLikeBytes() throws {
        let url = try DecodingFixtures.url(of: "png_named_as.jpg")

        let image = try ImageDecoder().decode(contentsOf: url)

        #expect(image.pixels == (try DecodingFixtures.bytes(of: "png_named_as_jpg.rgb")))
    }

    /// A PNG signature and an IHDR for an 8-bit RGB image of the given size, then an empty IDAT.
    private func pngHeader(width: Int, height: Int) -> [UInt8] {
        func bigEndian(_ value: Int) -> [UInt8] {
            [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
        }
        let fields = bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0]
        let ihdr = bigEndian(13) + Array("IHDR".utf8) + fields + [0, 0, 0, 0]
        let idat = bigEndian(0) + Array("IDAT".utf8) + [0, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + ihdr + idat
    }
}
