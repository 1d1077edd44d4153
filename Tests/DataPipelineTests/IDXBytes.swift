/// Builds the bytes of an IDX file by hand: magic, element type, rank, big-endian dimensions, elements.
///
/// Shapes: `elements.count` should equal the product of `dimensions`, but tests
/// of malformed files pass other counts on purpose. Written independently of the
/// reader so that round-trip tests check the format, not the reader against itself.
func idxBytes(dimensions: [Int], elements: [UInt8], elementType: UInt8 = 0x08) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, elementType, UInt8(dimensions.count)]
    for dimension in dimensions {
        let value = UInt32(dimension)
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }
    return bytes + elements
}

/// `count` bytes counting up from `start` and wrapping at 256, so every position differs from its neighbours.
func countingBytes(_ count: Int, startingAt start: Int = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: start + $0) }
}
