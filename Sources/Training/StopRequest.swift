import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a request the training loop checks after each step.
///
/// Why not stop at once: the step in flight finishes, a checkpoint is written, and
/// the run can resume exactly; a second signal while stopping ends the process.
/// `@unchecked Sendable`: the signal sources are created in `init` and never change.
public final class StopRequest: @unchecked Sendable {
    private let requested = Atomic<Bool>(false)
    private let signalName = Mutex<String?>(nil)
    private var sources: [DispatchSourceSignal] = []

    /// A request that only `request(reason:)` sets, or also SIGINT and SIGTERM when `listensToSignals`.
    public init(listensToSignals: Bool) {
        if listensToSignals { installSignalHandlers() }
    }

    /// Whether a stop was asked for (by a signal or by `request`).
    public var isRequested: Bool { requested.load(ordering: .acquiring) }

    /// The signal that asked, if any ("SIGINT", "SIGTERM").
    public var reason: String? { signalName.withLock { $0 } }

    /// Asks the loop to stop after the current step.
    public func request(reason: String) {
        signalName.withLock { $0 = $0 ?? reason }
        requested.store(true, ordering: .releasing)
    }

    private func installSignalHandlers() {
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                if isRequested {
                    FileHandle.standardError.write(Data("\n\(name) again: stopping now without saving\n".utf8))
                    exit(130)
                }
                FileHandle.standardError.write(
                    Data("\n\(name): finishing the current step, saving a checkpoint, then stopping\n".utf8))
                request(reason: name)
            }
            source.resume()
            sources.append(source)
        }
    }
}
