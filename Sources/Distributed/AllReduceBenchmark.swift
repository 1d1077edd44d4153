/// The time of a float32 all-reduce of a given length across all ranks, and the bandwidth it implies.
///
/// Shapes: each repetition is timed on every rank between a barrier and the end of
/// the all-reduce; a repetition's time is the slowest rank's, and the figure is the
/// median over repetitions, after one untimed warm-up.
///
/// Bandwidth, as nccl-tests defines it: the algorithm bandwidth is the buffer's bytes
/// over the time; the bus bandwidth multiplies it by 2(n - 1)/n, the share of the
/// buffer each rank must send and receive in a ring all-reduce, so that figures for
/// different rank counts compare with the link speed.
public struct AllReduceBenchmark: Sendable {
    public let elements: Int
    public let repetitions: Int

    public init(elements: Int, repetitions: Int) {
        precondition(elements > 0 && repetitions > 0, "elements and repetitions must be positive")
        self.elements = elements
        self.repetitions = repetitions
    }

    public struct Measurement: Sendable {
        public let elements: Int
        public let worldSize: Int
        /// The median of the repetitions' times (each the slowest rank's), in seconds.
        public let seconds: Double
        /// Every repetition's time, slowest rank, in seconds.
        public let times: [Double]

        public var bytes: Int { elements * MemoryLayout<Float>.size }
        /// Bytes per second.
        public var algorithmBandwidth: Double { Double(bytes) / seconds }
        /// Bytes per second, times 2(n - 1)/n.
        public var busBandwidth: Double { algorithmBandwidth * 2 * Double(worldSize - 1) / Double(worldSize) }
    }

    /// Measures on `communicator` (a collective: every rank calls it; all get the same measurement).
    public func run(on communicator: some Communicator) throws -> Measurement {
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: elements)
        buffer.initialize(repeating: 0)
        defer { buffer.deallocate() }
        let clock = ContinuousClock()
        var times = [Double]()
        for repetition in 0...repetitions {
            try communicator.barrier()
            let start = clock.now
            try communicator.allReduce(buffer, .sum)
            let (seconds, attoseconds) = start.duration(to: clock.now).components
            if repetition > 0 { times.append(Double(seconds) + Double(attoseconds) * 1e-18) }
        }
        try communicator.allReduce(&times, .max)
        let sorted = times.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
                                           : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        return Measurement(elements: elements, worldSize: communicator.worldSize, seconds: median, times: times)
    }
}
