import DataPipeline
import Testing

/// The eight EXIF orientation transforms on images whose every pixel is distinct.
struct DecodingOrientationTests {
    /// 2 rows, 3 columns, one channel: 1 2 3 / 4 5 6.
    private let source = ByteImage(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])

    @Test func eachOrientationMatchesPILsTranspose() {
        let expected: [ExifOrientation: (width: Int, pixels: [UInt8])] = [
            .identity: (3, [1, 2, 3, 4, 5, 6]),
            .mirrorHorizontally: (3, [3, 2, 1, 6, 5, 4]),
            .rotate180: (3, [6, 5, 4, 3, 2, 1]),
            .mirrorVertically: (3, [4, 5, 6, 1, 2, 3]),
            .transpose: (2, [1, 4, 2, 5, 3, 6]),
            .rotate90Clockwise: (2, [4, 1, 5, 2, 6, 3]),
            .transverse: (2, [6, 3, 5, 2, 4, 1]),
            .rotate90CounterClockwise: (2, [3, 6, 2, 5, 1, 4]),
        ]
        for orientation in ExifOrientation.allCases {
            let oriented = source.applyingOrientation(orientation)
            let want = expected[orientation]!

            #expect(oriented.width == want.width, "\(orientation)")
            #expect(oriented.height == 6 / want.width, "\(orientation)")
            #expect(oriented.pixels == want.pixels, "\(orientation)")
            #expect(orientation.swapsWidthAndHeight == (want.width == 2))
        }
    }

    @Test func channelsTravelWithTheirPixel() {
        let rgb = ByteImage(width: 2, height: 1, channels: 3, pixels: [10, 11, 12, 20, 21, 22])

        let rotated = rgb.applyingOrientation(.rotate90Clockwise)

        #expect(rotated.width == 1 && rotated.height == 2)
        #expect(rotated.pixels == [10, 11, 12, 20, 21, 22])
        #expect(rgb.applyingOrientation(.mirrorHorizontally).pixels == [20, 21, 22, 10, 11, 12])
    }

    @Test func fourQuarterTurnsAreTheIdentity() {
        var image = ByteImage(width: 5, height: 3, channels: 1, pixels: (0..<15).map { UInt8($0) })
        let original = image
        for _ in 0..<4 {
            image = image.applyingOrientation(.rotate90Clockwise)
        }

        #expect(image == original)
        #expect(original.applyingOrientation(.rotate90Clockwise).applyingOrientation(.rotate90CounterClockwise) == original)
    }

    @Test func decodedOrientationCanBeTurnedOff() throws {
        let bytes = try DecodingFixtures.bytes(of: "jpeg_orientation_6.jpg")
        let decoder = ImageDecoder()

        let upright = try decoder.decode(bytes, path: "a.jpg")
        let stored = try decoder.decode(bytes, path: "a.jpg", options: .init(appliesExifOrientation: false))

        #expect(upright.width == 11 && upright.height == 17)
        #expect(stored.width == 17 && stored.height == 11)
        #expect(stored.applyingOrientation(.rotate90Clockwise) == upright)
    }
}
