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

    /// The log line for a recipe precision the backend cannot compute in, or nil when it can.
    public var fallbackNote: String? {
        available == self ? nil
            : "run.precision: \(rawValue) asked for, but \(Compute.backend.name) has no bfloat16 kernels on this CPU "
              + "(oneDNN 2.6 has them only with AVX-512): computing in f32"
    }
}
