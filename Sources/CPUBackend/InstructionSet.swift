import CDNNL
import CWinograd

/// The instruction set oneDNN's kernels use on this CPU, and what it allows.
///
/// Why it matters: Debian's oneDNN 2.6 has bfloat16 kernels only from AVX-512
/// (`avx512_core`, emulated; native with `avx512_core_bf16`) up. On an AVX2-only CPU
/// every bfloat16 convolution, matmul, batch norm and eltwise primitive is
/// "unimplemented", so a bfloat16 run must be refused or fall back before it starts.
public struct InstructionSet: Sendable, Equatable, CustomStringConvertible {
    let isa: dnnl_cpu_isa_t

    /// What oneDNN dispatches to on this machine (and under `ONEDNN_MAX_CPU_ISA`, if set).
    public static var effective: InstructionSet { InstructionSet(isa: dnnl_get_effective_cpu_isa()) }

    /// Whether oneDNN 2.6 has bfloat16 kernels here: the ISA includes every `avx512_core` feature.
    public var hasBFloat16Kernels: Bool {
        isa.rawValue & dnnl_cpu_isa_avx512_core.rawValue == dnnl_cpu_isa_avx512_core.rawValue
    }

    /// oneDNN's name for the ISA ("avx2", "avx512_core_bf16", ...).
    public var description: String {
        let names: [(dnnl_cpu_isa_t, String)] = [
            (dnnl_cpu_isa_avx512_core_amx, "avx512_core_amx"), (dnnl_cpu_isa_avx512_core_bf16, "avx512_core_bf16"),
            (dnnl_cpu_isa_avx512_core_vnni, "avx512_core_vnni"), (dnnl_cpu_isa_avx512_core, "avx512_core"),
            (dnnl_cpu_isa_avx2_vnni, "avx2_vnni"), (dnnl_cpu_isa_avx2, "avx2"), (dnnl_cpu_isa_avx, "avx"),
            (dnnl_cpu_isa_sse41, "sse41"),
        ]
        return names.first { isa.rawValue & $0.0.rawValue == $0.0.rawValue }?.1 ?? "generic"
    }
}

extension InstructionSet {
    /// Whether `auto` convolutions use Hone's Winograd kernels (`CPUBackend+Winograd`).
    ///
    /// True on AVX2 CPUs without AVX-512: there oneDNN 2.6 has only direct
    /// convolutions and lays activations out in blocks of 8 channels, the layout
    /// the kernels read and write. With AVX-512 oneDNN has a Winograd of its own.
    public var usesHoneWinograd: Bool {
        isa.rawValue & dnnl_cpu_isa_avx2.rawValue == dnnl_cpu_isa_avx2.rawValue && !hasBFloat16Kernels
            && hone_winograd_is_supported() != 0
    }
}
