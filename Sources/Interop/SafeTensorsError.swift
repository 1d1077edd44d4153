/// What can go wrong reading or writing a safetensors file, each case naming the file and, where there is one, the tensor.
///
/// Shapes and offsets are carried as the `UInt64`s the header holds, so a
/// message can quote a hostile value exactly. Why typed: a checkpoint that fails
/// to load should say which file, which tensor and what was expected versus
/// found, instead of a generic "invalid format".
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened, measured or mapped; `reason` is the system's message.
    case unreadable(path: String, reason: String)
    /// The file is shorter than the 8-byte header length that starts every safetensors file.
    case fileTooShort(path: String, byteCount: Int)
    /// The header length exceeds the limit the reference implementation also enforces.
    case headerTooLarge(path: String, headerByteCount: UInt64, limit: Int)
    /// The header length points past the end of the file.
    case headerPastEndOfFile(path: String, headerByteCount: UInt64, fileByteCount: Int)
    /// The header bytes are not valid UTF-8.
    case headerNotUTF8(path: String)
    /// The header is not valid JSON; `reason` is the parser's message.
    case headerNotJSON(path: String, reason: String)
    /// The header is valid JSON but not an object.
    case headerNotObject(path: String, found: String)
    /// `__metadata__` is not an object.
    case metadataNotObject(path: String, found: String)
    /// A `__metadata__` value is not a string.
    case metadataValueNotString(path: String, key: String, found: String)
    /// A tensor's entry is not an object.
    case entryNotObject(path: String, tensor: String, found: String)
    /// A tensor's entry lacks `dtype`, `shape` or `data_offsets`.
    case missingField(path: String, tensor: String, field: String)
    /// A tensor's field has the wrong JSON type or value range.
    case illTypedField(path: String, tensor: String, field: String, expected: String, found: String)
    /// A tensor's dtype is not one the safetensors format defines.
    case unknownDType(path: String, tensor: String, dtype: String)
    /// A tensor's dtype is a safetensors dtype that Hone does not read.
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// A tensor's shape has more elements or bytes than this machine can address.
    case shapeOverflows(path: String, tensor: String, shape: [UInt64])
    /// A tensor's `data_offsets` begin after they end.
    case offsetsReversed(path: String, tensor: String, begin: UInt64, end: UInt64)
    /// A tensor's byte range does not match its dtype and shape.
    case byteCountMismatch(path: String, tensor: String, dtype: String, shape: [UInt64], expected: UInt64, found: UInt64)
    /// A tensor's bytes end past the end of the data section: the file is truncated.
    case dataPastEnd(path: String, tensor: String, end: UInt64, dataByteCount: Int)
    /// A tensor starts after the previous one ended, leaving unclaimed bytes between them.
    case hole(path: String, tensor: String, begin: UInt64, expectedBegin: UInt64)
    /// A tensor starts before the previous one (`other`) ended.
    case overlap(path: String, tensor: String, other: String, begin: UInt64, otherEnd: UInt64)
    /// The tensors end before the data section does, leaving trailing bytes unclaimed.
    case uncoveredTrailingBytes(path: String, coveredByteCount: UInt64, dataByteCount: Int)
    /// Writing, syncing or renaming the file failed; the previous file, if any, is untouched.
    case writeFailed(path: String, reason: String)

    /// The dtypes Hone reads, as the header spells them.
    static let readableDTypes = "F32, BF16, F16 (widened to float32), F64 (narrowed to float32), I64, I32 (as integers)"

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the file: \(reason)"
        case .fileTooShort(let path, let byteCount):
            return "\(path): the file has \(byteCount) bytes, fewer than the 8-byte header length every safetensors file starts with"
        case .headerTooLarge(let path, let headerByteCount, let limit):
            return "\(path): the header length is \(headerByteCount) bytes, more than the limit of \(limit)"
        case .headerPastEndOfFile(let path, let headerByteCount, let fileByteCount):
            return "\(path): the header length is \(headerByteCount) bytes, but the file has only \(fileByteCount) bytes after the 8-byte length"
        case .headerNotUTF8(let path):
            return "\(path): the header is not valid UTF-8"
        case .headerNotJSON(let path, let reason):
            return "\(path): the header is not valid JSON: \(reason)"
        case .headerNotObject(let path, let found):
            return "\(path): the header should be a JSON object, found \(found)"
        case .metadataNotObject(let path, let found):
            return "\(path): \"__metadata__\" should be an object of strings, found \(found)"
        case .metadataValueNotString(let path, let key, let found):
            return "\(path): \"__metadata__\" value for \"\(key)\" should be a string, found \(found)"
        case .entryNotObject(let path, let tensor, let found):
            return "\(path): tensor \"\(tensor)\": the entry should be an object with dtype, shape and data_offsets, found \(found)"
        case .missingField(let path, let tensor, let field):
            return "\(path): tensor \"\(tensor)\": the entry has no \"\(field)\""
        case .illTypedField(let path, let tensor, let field, let expected, let found):
            return "\(path): tensor \"\(tensor)\": \"\(field)\" should be \(expected), found \(found)"
        case .unknownDType(let path, let tensor, let dtype):
            return "\(path): tensor \"\(tensor)\": dtype \"\(dtype)\" is not a safetensors dtype; Hone reads \(Self.readableDTypes)"
        case .unsupportedDType(let path, let tensor, let dtype):
            return "\(path): tensor \"\(tensor)\": dtype \(dtype) is not one Hone reads; Hone reads \(Self.readableDTypes)"
        case .shapeOverflows(let path, let tensor, let shape):
            return "\(path): tensor \"\(tensor)\": shape \(shape) has more bytes than this machine can address"
        case .offsetsReversed(let path, let tensor, let begin, let end):
            return "\(path): tensor \"\(tensor)\": data_offsets [\(begin), \(end)] begin after they end"
        case .byteCountMismatch(let path, let tensor, let dtype, let shape, let expected, let found):
            return "\(path): tensor \"\(tensor)\": \(dtype) shape \(shape) needs \(expected) bytes, but data_offsets span \(found)"
        case .dataPastEnd(let path, let tensor, let end, let dataByteCount):
            return "\(path): tensor \"\(tensor)\": data ends at byte \(end), past the end of the \(dataByteCount)-byte data section (the file is truncated)"
        case .hole(let path, let tensor, let begin, let expectedBegin):
            return "\(path): tensor \"\(tensor)\": data begins at byte \(begin), but the previous tensor ended at \(expectedBegin), leaving a hole"
        case .overlap(let path, let tensor, let other, let begin, let otherEnd):
            return "\(path): tensor \"\(tensor)\": data begins at byte \(begin), inside tensor \"\(other)\", which ends at \(otherEnd)"
        case .uncoveredTrailingBytes(let path, let coveredByteCount, let dataByteCount):
            return "\(path): the tensors cover \(coveredByteCount) of the \(dataByteCount) data bytes, leaving the rest unclaimed"
        case .writeFailed(let path, let reason):
            return "\(path): cannot write the file: \(reason)"
        }
    }
}
