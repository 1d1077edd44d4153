import CPUBackend
import TensorCore
import Testing
import TestSupport

/// The element type a kernel test runs in: what its inputs are rounded to, and how close its outputs must come.
///
/// A bfloat16 kernel is compared with the Float64 reference evaluated on the inputs
/// *after* rounding them to bfloat16, so the tolerance covers only the kernel's own
/// arithmetic, not the rounding of its inputs.
enum Precision: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case float32
    case bfloat16

    var dtype: DType {
        switch self {
        case .float32: .float32
        case .bfloat16: .bfloat16
        }
    }

    var testDescription: String { dtype.description }

    /// The precisions this CPU has kernels for: bfloat16 only where oneDNN has bfloat16 kernels (AVX-512).
    static var available: [Precision] {
        allCases.filter { $0 == .float32 || CPUBackend.hasBFloat16Kernels }
    }

    /// `reference` as a kernel of this precision sees it: stored in `dtype` and widened back exactly.
    func rounded(_ reference: ReferenceTensor) -> ReferenceTensor {
        ReferenceTensor(reference.tensor(dtype: dtype))
    }

    /// `reference` stored in this precision, plain.
    func tensor(_ reference: ReferenceTensor) -> Tensor {
        reference.tensor(dtype: dtype)
    }

    /// How far a kernel output of this precision may stray from the Float64 reference on order-one data.
    ///
    /// float32: sums of up to a few hundred order-one products rounded in float32 stay
    /// within ~1e-6 of the exact value, so 1e-4 relative and 1e-5 absolute leave a wide
    /// margin while still catching any wrong tap, stride or divisor (errors of order 1e-1).
    /// bfloat16: the kernel accumulates in float32 and rounds each output once to
    /// bfloat16, at most 2⁻⁹ ≈ 2e-3 relative; 1e-2 relative (about five such roundings)
    /// and 2e-3 absolute (outputs that cancel to near zero) cover that and intermediate
    /// roundings inside oneDNN, and still catch structural errors.
    var tolerance: Tolerance {
        switch self {
        case .float32: Tolerance(relative: 1e-4, absolute: 1e-5)
        case .bfloat16: Tolerance(relative: 1e-2, absolute: 2e-3)
        }
    }
}

/// The elements of any kernel output, reordered to plain and widened to Float64.
func plainValues(_ tensor: Tensor) -> ReferenceTensor {
    ReferenceTensor(testBackend.reorder(tensor, to: .plain))
}
