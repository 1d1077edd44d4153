import CDNNL

/// Stops with a message naming the oneDNN call that failed and its status.
///
/// Why a trap and not a thrown error: every call here is made with descriptors
/// Hone built itself from validated shapes, so a failure is a programming error
/// (or an unsupported combination) that no caller could recover from.
@inline(__always)
func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String,
           file: StaticString = #fileID, line: UInt = #line) {
    guard status != dnnl_success else { return }
    let reason: String
    switch status {
    case dnnl_out_of_memory: reason = "out of memory"
    case dnnl_invalid_arguments: reason = "invalid arguments"
    case dnnl_unimplemented:
        reason = "no implementation for this combination of shapes, formats and types"
            + (CPUBackend.hasBFloat16Kernels ? "" : " (on this CPU oneDNN uses \(InstructionSet.effective): "
                + "it has no bfloat16 kernels, which need AVX-512)")
    case dnnl_runtime_error: reason = "runtime error"
    default: reason = "status \(status.rawValue)"
    }
    fatalError("oneDNN \(call()) failed: \(reason)", file: file, line: line)
}
