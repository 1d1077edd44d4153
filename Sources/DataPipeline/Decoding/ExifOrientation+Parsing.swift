extension ExifOrientation {
    /// The `Exif\0\0` identifier that starts an Exif APP1 segment (and PIL's copy of a PNG `eXIf` chunk).
    static let exifIdentifier: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]

    /// The orientation tag's number in IFD0.
    static let orientationTag = 0x0112

    /// Reads the orientation from the payload of a JPEG APP1 Exif segment.
    ///
    /// Layout: `Exif\0\0` (the sixth byte is not checked, as PIL does not),
    /// then a TIFF structure; see `init(tiff:)`. Returns nil when the payload is
    /// not Exif, has no orientation tag, or the tag's value is outside 1...8.
    public init?(exifSegment payload: ArraySlice<UInt8>) {
        guard payload.count >= 6, payload.prefix(5).elementsEqual(Self.exifIdentifier.prefix(5)) else { return nil }
        self.init(tiff: payload.dropFirst(6))
    }

    /// Reads the orientation from a TIFF structure (an Exif block without its `Exif\0\0` identifier).
    ///
    /// Layout: byte order `II` (little-endian) or `MM` (big-endian), the number
    /// 42, the offset of IFD0 from the start of the TIFF structure, then IFD0: an
    /// entry count and 12-byte entries (tag, type, count, value or offset). Every
    /// offset and count is checked against the bytes present, so garbage offsets
    /// yield nil rather than a crash or a read past the end; an entry count larger
    /// than the bytes allow is read only as far as whole entries exist. The tag
    /// must have type SHORT (3) or LONG (4); the first value is used.
    public init?(tiff: ArraySlice<UInt8>) {
        let start = tiff.startIndex
        let length = tiff.count
        guard length >= 8 else { return nil }
        let littleEndian: Bool
        switch (tiff[start], tiff[start + 1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func integer(at offset: Int, size: Int) -> Int? {
            guard offset >= 0, offset <= length - size else { return nil }
            var value = 0
            for index in 0..<size {
                let byte = Int(tiff[start + offset + (littleEndian ? size - 1 - index : index)])
                value = (value << 8) | byte
            }
            return value
        }
        guard integer(at: 2, size: 2) == 42, let directory = integer(at: 4, size: 4),
              let declaredEntries = integer(at: directory, size: 2)
        else { return nil }
        let firstEntry = directory + 2
        let entriesPresent = max(0, (length - firstEntry) / 12)
        for index in 0..<min(declaredEntries, entriesPresent) {
            let entry = firstEntry + 12 * index
            guard integer(at: entry, size: 2) == Self.orientationTag else { continue }
            let value: Int?
            switch integer(at: entry + 2, size: 2) {
            case 3: value = integer(at: entry + 8, size: 2)
            case 4: value = integer(at: entry + 8, size: 4)
            default: value = nil
            }
            guard let count = integer(at: entry + 4, size: 4), count >= 1, let value else { return nil }
            self.init(rawValue: value)
            return
        }
        return nil
    }
}
