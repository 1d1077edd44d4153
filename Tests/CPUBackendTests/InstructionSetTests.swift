import CPUBackend
import Foundation
import Testing

/// Whether Hone thinks oneDNN has bfloat16 kernels agrees with the CPU's own feature flags.
@Suite struct InstructionSetTests {
    /// The feature flags of the first processor in /proc/cpuinfo.
    static func cpuFlags() throws -> Set<Substring> {
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let line = try #require(info.split(separator: "\n").first { $0.hasPrefix("flags") })
        return Set(line.split(separator: ":", maxSplits: 1).last?.split(separator: " ") ?? [])
    }

    /// oneDNN's `avx512_core` is AVX-512 F, BW, VL and DQ together: bfloat16 kernels exist exactly when all four do.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/cpuinfo"), "needs Linux's /proc/cpuinfo"))
    func bfloat16KernelsExistExactlyWithAVX512Core() throws {
        let flags = try Self.cpuFlags()
        let avx512Core = ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy { flags.contains(Substring($0)) }
        #expect(CPUBackend.hasBFloat16Kernels == avx512Core,
                "oneDNN runs \(InstructionSet.effective) kernels; the CPU's flags say avx512_core is \(avx512Core)")
    }

    /// The name is oneDNN's, and AVX2 at least on any x86-64 machine Hone builds for (oneDNN's floor for its JIT kernels).
    @Test func effectiveInstructionSetIsNamed() {
        let name = InstructionSet.effective.description
        #expect(["avx2", "avx2_vnni", "avx512_core", "avx512_core_vnni", "avx512_core_bf16", "avx512_core_amx"]
            .contains(name))
        #expect(name.hasPrefix("avx512") == CPUBackend.hasBFloat16Kernels)
    }
}
