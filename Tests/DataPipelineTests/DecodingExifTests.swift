import DataPipeline
import Testing

/// The Exif orientation parser, on TIFF structures built byte by byte: both byte orders and garbage.
struct DecodingExifTests {
    /// A TIFF structure with IFD0 at `directoryOffset` holding the given 12-byte entries.
    private func tiff(
        littleEndian: Bool, directoryOffset: Int = 8, declaredEntries: Int? = nil,
        entries: [(tag: Int, type: Int, count: Int, value: Int)]
    ) -> [UInt8] {
        func field(_ value: Int, size: Int) -> [UInt8] {
            let bigEndian = (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * (size - 1 - $0))) }
            return littleEndian ? bigEndian.reversed() : bigEndian
        }
        var bytes: [UInt8] = littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
        bytes += field(42, size: 2) + field(directoryOffset, size: 4)
        bytes += [UInt8](repeating: 0, count: max(0, directoryOffset - 8))
        bytes += field(declaredEntries ?? entries.count, size: 2)
        for entry in entries {
            bytes += field(entry.tag, size: 2) + field(entry.type, size: 2) + field(entry.count, size: 4)
            bytes += entry.type == 3 ? field(entry.value, size: 2) + [0, 0] : field(entry.value, size: 4)
        }
        return bytes + field(0, size: 4)
    }

    @Test(arguments: [true, false])
    func readsEveryOrientationInEitherByteOrder(littleEndian: Bool) {
        for value in 1...8 {
            let bytes = tiff(littleEndian: littleEndian, entries: [(0x010F, 2, 4, 0), (0x0112, 3, 1, value)])

            #expect(ExifOrientation(tiff: bytes[...])?.rawValue == value)
            #expect(ExifOrientation(exifSegment: ([0x45, 0x78, 0x69, 0x66, 0, 0] + bytes)[...])?.rawValue == value)
        }
    }

    @Test func longTypedValueIsAccepted() {
        #expect(ExifOrientation(tiff: tiff(littleEndian: false, entries: [(0x0112, 4, 1, 6)])[...]) == .rotate90Clockwise)
    }

    @Test func directoryAfterPaddingIsFound() {
        #expect(ExifOrientation(tiff: tiff(littleEndian: true, directoryOffset: 40, entries: [(0x0112, 3, 1, 8)])[...])
            == .rotate90CounterClockwise)
    }

    @Test func garbageYieldsNoOrientation() {
        let valid = tiff(littleEndian: true, entries: [(0x0112, 3, 1, 6)])
        var badOrder = valid
        badOrder[0] = 0x58
        var notFortyTwo = valid
        notFortyTwo[2] = 43
        let cases: [(String, [UInt8])] = [
            ("directory offset past the end", Array(valid.prefix(4)) + [0xF0, 0xFF, 0xFF, 0x7F] + valid.dropFirst(8)),
            ("directory offset at the last byte", Array(valid.prefix(4)) + [UInt8(valid.count - 1), 0, 0, 0] + valid.dropFirst(8)),
            ("entry count larger than the bytes", tiff(littleEndian: true, declaredEntries: 60000, entries: [(0x0110, 2, 1, 0)])),
            ("entry cut in half", Array(valid.prefix(8 + 2 + 6))),
            ("value 0", tiff(littleEndian: true, entries: [(0x0112, 3, 1, 0)])),
            ("value 9", tiff(littleEndian: true, entries: [(0x0112, 3, 1, 9)])),
            ("ASCII type", tiff(littleEndian: true, entries: [(0x0112, 2, 1, 6)])),
            ("zero count", tiff(littleEndian: true, entries: [(0x0112, 3, 0, 6)])),
            ("bad byte order", badOrder),
            ("not 42", notFortyTwo),
            ("empty", []),
        ]
        for (label, bytes) in cases {
            #expect(ExifOrientation(tiff: bytes[...]) == nil, "\(label)")
        }
        #expect(ExifOrientation(tiff: valid[...]) == .rotate90Clockwise, "the unbroken structure parses")
    }

    @Test func segmentOtherThanExifYieldsNoOrientation() {
        let bytes = Array("http://ns.adobe.com/xap/1.0/\u{0}".utf8) + tiff(littleEndian: true, entries: [(0x0112, 3, 1, 6)])

        #expect(ExifOrientation(exifSegment: bytes[...]) == nil)
    }

    @Test func parsingASliceUsesItsOwnIndices() {
        let structure = tiff(littleEndian: false, entries: [(0x0112, 3, 1, 3)])
        let padded = [UInt8](repeating: 0xEE, count: 5) + structure

        #expect(ExifOrientation(tiff: padded[5...]) == .rotate180)
    }
}
