extension PNGHeader {
    /// Parses a PNG's signature, IHDR and the chunks before the first IDAT, without inflating anything.
    ///
    /// Layout: the eight-byte signature, then chunks of a big-endian length, a
    /// four-letter type, the data and a CRC. IHDR must come first with 13 bytes:
    /// width, height (4 bytes each), bit depth, colour type, compression,
    /// filter and interlace method (1 byte each). On the way to IDAT the parser
    /// notes tRNS, gAMA and `eXIf` (whose payload is a TIFF structure, as in a
    /// JPEG's Exif segment). CRCs are left to libpng, which checks them while
    /// decoding.
    ///
    /// - Parameters:
    ///   - bytes: the whole file (only the part before the first IDAT is read).
    ///   - path: where the bytes came from, used only in error messages.
    /// - Throws: `ImageDecodingError` with category `truncated` when the bytes
    ///   end before the first IDAT, `corrupt` for a bad signature, a missing or
    ///   malformed IHDR, or an impossible chunk length.
    public init(parsing bytes: [UInt8], path: String) throws(ImageDecodingError) {
        func failure(_ category: ImageDecodingError.Category, _ reason: String) -> ImageDecodingError {
            ImageDecodingError(path: path, format: .png, category: category, reason: reason)
        }
        let signature = ImageFormat.pngSignature
        guard bytes.starts(with: signature) else {
            throw failure(.corrupt, "expected the PNG signature \(hexBytes(signature)), found \(hexBytes(bytes.prefix(8)))")
        }
        var chunks = PNGChunkWalker(bytes: bytes)
        guard let header = try chunks.next(failure: failure) else {
            throw failure(.truncated, "the file ends after the signature, before the IHDR chunk")
        }
        guard header.type == "IHDR", header.data.count == 13 else {
            throw failure(
                .corrupt, "the first chunk is \(header.type) of \(header.data.count) bytes, expected IHDR of 13 bytes"
            )
        }
        let fields = Array(header.data)
        let width = bigEndianInteger(fields[0..<4])
        let height = bigEndianInteger(fields[4..<8])
        let bitDepth = Int(fields[8])
        guard let colorType = PNGColorType(rawValue: Int(fields[9])) else {
            throw failure(.corrupt, "IHDR colour type is \(fields[9]), expected 0, 2, 3, 4 or 6")
        }
        guard colorType.allowedBitDepths.contains(bitDepth) else {
            throw failure(
                .corrupt,
                "IHDR bit depth is \(bitDepth) with colour type \(colorType.rawValue), "
                    + "expected one of \(colorType.allowedBitDepths)"
            )
        }
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw failure(.corrupt, "IHDR gives the size \(width)×\(height), expected sides from 1 to 2^31 - 1")
        }
        guard fields[10] == 0, fields[11] == 0, fields[12] <= 1 else {
            throw failure(
                .corrupt,
                "IHDR compression, filter and interlace methods are \(fields[10]), \(fields[11]), \(fields[12]); "
                    + "expected 0, 0 and 0 or 1"
            )
        }

        var hasTransparencyChunk = false
        var gamma: Int?
        var orientation: ExifOrientation?
        while true {
            guard let chunk = try chunks.next(failure: failure) else {
                throw failure(.truncated, "the file ends after \(bytes.count) bytes, before any IDAT chunk")
            }
            switch chunk.type {
            case "IDAT":
                self.init(
                    width: width, height: height, bitDepth: bitDepth, colorType: colorType, isInterlaced: fields[12] == 1,
                    hasTransparencyChunk: hasTransparencyChunk, gamma: gamma, orientation: orientation
                )
                return
            case "IEND":
                throw failure(.corrupt, "the IEND chunk comes before any IDAT chunk")
            case "tRNS":
                hasTransparencyChunk = true
            case "gAMA" where chunk.data.count == 4:
                gamma = gamma ?? bigEndianInteger(chunk.data)
            case "eXIf" where orientation == nil:
                orientation = ExifOrientation(tiff: chunk.data)
            default:
                break
            }
        }
    }
}

/// Steps through a PNG's chunks after the signature, checking every length against the bytes present.
///
/// Each chunk is 12 bytes of framing (length, type, CRC) around its data; a
/// length above 2^31 - 1 is invalid by the specification.
struct PNGChunkWalker {
    /// One chunk: its four-letter type, where it starts, and its data.
    struct Chunk {
        /// The four-letter type, such as `IHDR`.
        let type: String
        /// Where the chunk's length field starts.
        let offset: Int
        /// The chunk's data, without length, type and CRC.
        let data: ArraySlice<UInt8>
    }

    /// The whole file.
    let bytes: [UInt8]
    /// Where the next chunk starts; the first one follows the signature.
    private(set) var position = ImageFormat.pngSignature.count

    /// A walker positioned at the first chunk.
    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next chunk, or nil when the bytes end exactly at a chunk boundary.
    mutating func next(
        failure: (ImageDecodingError.Category, String) -> ImageDecodingError
    ) throws(ImageDecodingError) -> Chunk? {
        guard position < bytes.count else { return nil }
        guard position + 8 <= bytes.count else {
            throw failure(.truncated, "the file ends inside the chunk header at byte \(position)")
        }
        let length = bigEndianInteger(bytes[position..<(position + 4)])
        let typeBytes = bytes[(position + 4)..<(position + 8)]
        let type = String(decoding: typeBytes, as: UTF8.self)
        guard length <= Int(Int32.max) else {
            throw failure(.corrupt, "chunk \(type) at byte \(position) claims \(length) bytes, expected at most 2^31 - 1")
        }
        let end = position + 12 + length
        guard end <= bytes.count else {
            throw failure(
                .truncated,
                "chunk \(type) at byte \(position) needs \(12 + length) bytes, the file ends after \(bytes.count - position)"
            )
        }
        let chunk = Chunk(type: type, offset: position, data: bytes[(position + 8)..<(position + 8 + length)])
        position = end
        return chunk
    }
}
