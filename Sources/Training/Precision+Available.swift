import Recipes
import TensorCore

extension Recipe.Run.Precision {
    /// This precision as the backend in use can compute it: bf16 falls back to f32 where it has no bfloat16 kernels.
    ///
    /// Why a fallback and not an error: the recipe's numbers stay the same in f32 (bf16
    /// is a speed choice, measured within 0.3 points of f32), so a recipe written on an
    /// AVX-512 machine still trains on an AVX2 one, slower; the run's log says so.
    public var available: Recipe.Run.Precision {
        self == .bf16 && !Compute.backend.hasBFloat16Kernels ? .f32 : self
    }

    /// The element type the activations are computed in: bfloat16 for bf16 where the backend has its kernels, else float32.
    ///
    /// Every consumer of a precision (training step, evaluation, recalibration, teacher)
    /// reads this rather than comparing with `.bf16`, so handing any of them the
    /// recipe's precision as written is safe on a CPU without bfloat16 kernels.
    public var computeType: DType {
        available == .bf16 ? .bfloat16 : .float32
    }

    /// The log line for a recipe precision the backend cannot compute in, or nil when it can.
    public var fallbackNote: String? {
        available == self ? nil
            : "run.precision: \(rawValue) asked for, but \(Compute.backend.name) has no bfloat16 kernels on this CPU "
              + "(oneDNN 2.6 has them only with AVX-512): computing in f32"
    }
}
