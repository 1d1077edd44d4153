import CPUBackend
import TensorCore

/// The CPU backend every test in this target runs on (created once, chosen process-wide).
let testBackend: CPUBackend = {
    let backend = CPUBackend(threads: 2)
    Compute.use(backend)
    return backend
}()
