import TensorCore

/// The element types of safetensors files that Hone reads, with their header spelling and size.
///
/// Shapes: one element is `byteCount` bytes, little-endian. Why a separate type
/// from `DType`: files carry types Hone never computes in (F16, F64, I64, I32);
/// reading widens or narrows them to what Hone trains with.
enum SafeTensorsDType: String, CaseIterable, Sendable {
    case float32 = "F32"
    case bfloat16 = "BF16"
    case float16 = "F16"
    case float64 = "F64"
    case int64 = "I64"
    case int32 = "I32"

    /// The dtypes the safetensors format defines that Hone does not read.
    ///
    /// Why: a name in this set is a valid file Hone cannot use (`unsupportedDType`);
    /// any other unknown name is a malformed header (`unknownDType`).
    static let otherFormatNames: Set<String> = [
        "BOOL", "U8", "I8", "I16", "U16", "U32", "U64", "C64",
        "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ",
        "F4", "F6_E2M3", "F6_E3M2",
    ]

    /// The dtype a float tensor of `dtype` is written as.
    init(_ dtype: DType) {
        switch dtype {
        case .float32: self = .float32
        case .bfloat16: self = .bfloat16
        }
    }

    /// The name the header uses.
    var headerName: String { rawValue }

    /// Bytes per element.
    var byteCount: Int {
        switch self {
        case .bfloat16, .float16: 2
        case .float32, .int32: 4
        case .float64, .int64: 8
        }
    }

    /// Where the reference writer places this dtype: larger ranks come first in the data section.
    ///
    /// The reference orders its dtype enumeration by alignment (… F16, BF16, I32,
    /// U32, F32, F64, I64 …) and writes tensors in descending order of it, so every
    /// tensor's bytes start aligned to its element size.
    var writeRank: Int {
        switch self {
        case .float16: 0
        case .bfloat16: 1
        case .int32: 2
        case .float32: 3
        case .float64: 4
        case .int64: 5
        }
    }
}
