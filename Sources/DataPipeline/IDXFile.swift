import Foundation

/// An n-dimensional array of unsigned bytes read from an IDX file.
///
/// Shape: `dimensions` as the header lists them (for MNIST images `[N, H, W]`,
/// for labels `[N]`); `elements` holds their product of bytes in row-major order.
/// IDX is the format of MNIST and Fashion-MNIST: a big-endian header
/// (`00 00`, element type, rank, then `rank` UInt32 dimensions) followed by the
/// raw elements. Files are often gzip-compressed; `read(contentsOf:)` sniffs the
/// gzip magic from the bytes rather than trusting the file name.
public struct IDXFile: Equatable, Sendable {
    /// The element-type code for unsigned bytes, the only type Hone reads.
    public static let unsignedByteCode: UInt8 = 0x08

    /// Sizes of each axis, outermost first.
    public let dimensions: [Int]
    /// The elements, row-major; `elements.count` is the product of `dimensions`.
    public let elements: [UInt8]

    /// Wraps elements already in memory.
    ///
    /// - Precondition: `elements.count` equals the product of `dimensions`, and
    ///   no dimension is negative: a mismatch here is a programming mistake, not
    ///   bad input (bad input goes through `init(parsing:path:)`).
    public init(dimensions: [Int], elements: [UInt8]) {
        precondition(dimensions.allSatisfy { $0 >= 0 }, "IDX dimensions must be non-negative: \(dimensions)")
        precondition(
            dimensions.reduce(1, *) == elements.count,
            "IDX dimensions \(dimensions) need \(dimensions.reduce(1, *)) elements, got \(elements.count)"
        )
        self.dimensions = dimensions
        self.elements = elements
    }

    /// Reads and parses the IDX file at `url`, inflating it first when it is gzip-compressed.
    ///
    /// - Throws: `IDXError` naming the file: missing or unreadable file, truncated
    ///   or corrupt gzip, bad magic, unsupported element type, or data whose size
    ///   disagrees with the header.
    public static func read(contentsOf url: URL) throws(IDXError) -> IDXFile {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw .missingFile(path: path, suggestion: nil)
        }
        let stored: [UInt8]
        do {
            stored = [UInt8](try Data(contentsOf: url))
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        guard Gzip.isCompressed(stored) else {
            return try IDXFile(parsing: stored, path: path)
        }
        let inflated: [UInt8]
        do throws(GzipError) {
            inflated = try Gzip.decompress(stored)
        } catch {
            switch error {
            case let .truncated(compressedBytes, inflatedBytes):
                throw .truncatedGzip(path: path, compressedBytes: compressedBytes, inflatedBytes: inflatedBytes)
            case let .corrupt(reason):
                throw .corruptGzip(path: path, reason: reason)
            }
        }
        return try IDXFile(parsing: inflated, path: path)
    }

    /// Parses uncompressed IDX bytes.
    ///
    /// - Parameters:
    ///   - bytes: the whole file after any decompression.
    ///   - path: where the bytes came from, used only in error messages.
    /// - Throws: `IDXError` for a bad magic, an unsupported element type, a
    ///   truncated header, or element data shorter or longer than the header promises.
    public init(parsing bytes: [UInt8], path: String) throws(IDXError) {
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw .badMagic(path: path, found: Array(bytes.prefix(2)))
        }
        guard bytes[2] == Self.unsignedByteCode else {
            throw .unsupportedElementType(path: path, code: bytes[2])
        }
        let rank = Int(bytes[3])
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw .truncatedHeader(path: path, rank: rank, expectedBytes: headerSize, foundBytes: bytes.count)
        }
        let dimensions = (0..<rank).map { axis in
            let offset = 4 + 4 * axis
            return bytes[offset..<(offset + 4)].reduce(0) { ($0 << 8) | Int($1) }
        }
        var expectedBytes = 1
        for dimension in dimensions {
            let (product, overflow) = expectedBytes.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .implausibleDimensions(path: path, dimensions: dimensions) }
            expectedBytes = product
        }
        let foundBytes = bytes.count - headerSize
        guard foundBytes >= expectedBytes else {
            throw .truncatedData(path: path, dimensions: dimensions, expectedBytes: expectedBytes, foundBytes: foundBytes)
        }
        guard foundBytes == expectedBytes else {
            throw .trailingData(path: path, dimensions: dimensions, expectedBytes: expectedBytes, foundBytes: foundBytes)
        }
        self.init(dimensions: dimensions, elements: Array(bytes[headerSize...]))
    }
}
