import CPUBackend
import TensorCore

/// The one CPU backend every test in this target runs on, made the process-wide backend on first use.
///
/// `Compute.use` is process-wide and tests run in parallel, so they share this single
/// instance instead of each installing its own; two threads keep the debug build quick
/// on a shared machine.
let testBackend: CPUBackend = {
    let backend = CPUBackend(threads: 2)
    Compute.use(backend)
    return backend
}()
