import CPUBackend
import TensorCore

/// The backend every test in this target runs on: the CPU backend behind a `RecordingBackend`.
///
/// `Compute.use` is process-wide and tests run in parallel, so they share this one
/// instance; touching it (`_ = testBackend`) at the start of a test installs it. The
/// recorder lets a test prove that a backward kernel did *not* run.
let recordingBackend: RecordingBackend = {
    let recorder = RecordingBackend(wrapping: CPUBackend(threads: 2))
    Compute.use(recorder)
    return recorder
}()

/// The CPU backend under the recorder, for reorders and kernels a test calls directly.
var testBackend: CPUBackend { recordingBackend.base }
