import Synchronization

/// The backend every op runs on, chosen once by the composition root (the CLI, or a test).
///
/// Why a process-wide choice: a training run uses one device; threading a backend
/// argument through every op and layer would add noise without adding a choice.
public enum Compute {
    private static let current = Mutex<(any Backend)?>(nil)

    /// Makes `backend` the one all ops use from now on.
    public static func use(_ backend: any Backend) {
        current.withLock { $0 = backend }
    }

    /// The backend in use; a programmer error if none was chosen.
    public static var backend: any Backend {
        guard let backend = current.withLock({ $0 }) else {
            preconditionFailure("no compute backend chosen: call Compute.use(CPUBackend.shared) at start-up")
        }
        return backend
    }
}
