/// Every collective of a `Communicator` run on inputs whose results are known in closed form, judged on every rank.
///
/// Shapes: rank r of n contributes values that depend on r and the element index j
/// (e.g. (r + 1)(j mod 7 + 1) to a float32 sum, whose result is n(n + 1)/2 (j mod 7 + 1));
/// every such value, sum and extremum is an integer or half-integer well below 2^24,
/// so float32 results are exact and compared with ==. Each rank records the first
/// element it found wrong; an all-gather brings those to every rank, so all ranks
/// agree on the verdict and exit alike.
///
/// Why closed forms: a result compared with another rank's result would pass when
/// both are wrong the same way.
public struct CollectiveCheck: Sendable {
    /// One collective's verdict: the ranks that saw a wrong result, and where.
    public struct Outcome: Equatable, Sendable {
        public let name: String
        public let failures: [Failure]
        public var passed: Bool { failures.isEmpty }
    }

    /// A rank that saw a wrong result, with the index of the first wrong element.
    public struct Failure: Equatable, Sendable {
        public let rank: Int
        public let firstWrongElement: Int
    }

    /// Elements per checked buffer: odd, so that no even split hides a wrong tail, and past 64 KiB, where MPI
    /// switches to its large-message algorithms.
    public let elements: Int

    public init(elements: Int = 100_003) {
        precondition(elements > 0 && elements < 1 << 20, "checked buffers hold 1 ..< 2^20 elements, got \(elements)")
        self.elements = elements
    }

    /// Runs every check on `communicator` (a collective: every rank calls it) and returns the gathered verdicts.
    public func run(on communicator: some Communicator) throws -> [Outcome] {
        let checks: [(String, () throws -> Int?)] = [
            ("all-reduce sum float32", { try sumFloat32(communicator) }),
            ("all-reduce sum float64", { try sumFloat64(communicator) }),
            ("all-reduce sum int64", { try sumInt64(communicator) }),
            ("all-reduce max float32/float64/int64", { try extremum(.max, communicator) }),
            ("all-reduce min float32/float64/int64", { try extremum(.min, communicator) }),
            ("non-blocking all-reduce, 3 in flight, waited out of order", { try nonBlocking(communicator) }),
            ("bucketed all-reduce average, gradients ready out of order", { try bucketedAverage(communicator) }),
            ("broadcast float32 from the last rank", { try broadcastFloats(communicator) }),
            ("broadcast text from rank 0", { try broadcastText(communicator) }),
            ("all-gather int64", { try allGatherInt64(communicator) }),
            ("all-gather float64", { try allGatherFloat64(communicator) }),
            ("barrier", { try communicator.barrier(); return nil }),
        ]
        let local = try checks.map { Int64(try $0.1() ?? -1) }
        let gathered = try communicator.allGather(local)
        return checks.indices.map { check in
            Outcome(name: checks[check].0, failures: gathered.indices.compactMap { rank in
                gathered[rank][check] < 0 ? nil : Failure(rank: rank, firstWrongElement: Int(gathered[rank][check]))
            })
        }
    }

    /// The first index where `actual` differs from `expected(j)`, or nil.
    private func firstMismatch<Element: Equatable>(_ actual: [Element], _ expected: (Int) -> Element) -> Int? {
        actual.indices.first { actual[$0] != expected($0) }
    }

    private func sumFloat32(_ communicator: some Communicator) throws -> Int? {
        let (r, n) = (communicator.rank, communicator.worldSize)
        var values = (0..<elements).map { Float(r + 1) * Float($0 % 7 + 1) }
        try communicator.allReduce(&values, .sum)
        return firstMismatch(values) { Float(n * (n + 1) / 2) * Float($0 % 7 + 1) }
    }

    private func sumFloat64(_ communicator: some Communicator) throws -> Int? {
        let (r, n) = (communicator.rank, communicator.worldSize)
        var values = (0..<elements).map { Double(r) + Double($0) * 0.5 }
        try communicator.allReduce(&values, .sum)
        return firstMismatch(values) { Double(n * (n - 1) / 2) + Double(n) * Double($0) * 0.5 }
    }

    /// Values past 2^32, so that a 32-bit reduction would fail.
    private func sumInt64(_ communicator: some Communicator) throws -> Int? {
        let (r, n) = (Int64(communicator.rank), Int64(communicator.worldSize))
        var values = (0..<elements).map { (r << 33) + Int64($0) }
        try communicator.allReduce(&values, .sum)
        return firstMismatch(values) { ((n * (n - 1) / 2) << 33) + n * Int64($0) }
    }

    /// Element j is j + (r + j) mod n on rank r, so each element's extremum comes from a different rank.
    private func extremum(_ operation: ReductionOperation, _ communicator: some Communicator) throws -> Int? {
        let (r, n) = (communicator.rank, communicator.worldSize)
        let expected = { (j: Int) in j + (operation == .max ? n - 1 : 0) }
        var floats = (0..<elements).map { Float($0 + ($0 + r) % n) }
        var doubles = (0..<elements).map { Double($0 + ($0 + r) % n) }
        var integers = (0..<elements).map { Int64($0 + ($0 + r) % n) }
        try communicator.allReduce(&floats, operation)
        try communicator.allReduce(&doubles, operation)
        try communicator.allReduce(&integers, operation)
        return [firstMismatch(floats) { Float(expected($0)) }, firstMismatch(doubles) { Double(expected($0)) },
                firstMismatch(integers) { Int64(expected($0)) }].compactMap { $0 }.min()
    }

    /// Buffer k holds r + k on rank r; the three are started together and waited for in the order 2, 0, 1.
    private func nonBlocking(_ communicator: some Communicator) throws -> Int? {
        let (r, n) = (communicator.rank, communicator.worldSize)
        let buffers = (0..<3).map { k in
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: elements)
            buffer.initialize(repeating: Float(r + k))
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        let pending = try buffers.map { try communicator.startAllReduce($0, .sum) }
        _ = try pending[1].test()
        for k in [2, 0, 1] { try pending[k].wait() }
        return (0..<3).compactMap { k in
            firstMismatch(Array(buffers[k])) { _ in Float(n * (n - 1) / 2 + n * k) }.map { k * elements + $0 }
        }.min()
    }

    /// Gradient g of 0.25, 1, 4 ... 0.25 times `elements` holds (r + 1)(g + j mod 5 + 1) on rank r; its average is
    /// (n + 1)/2 (g + j mod 5 + 1). The buckets are small (4 KiB first, 64 KiB after), so there are several.
    private func bucketedAverage(_ communicator: some Communicator) throws -> Int? {
        let (r, n) = (communicator.rank, communicator.worldSize)
        let lengths = [elements / 4, 1, 1000, elements, 16_384, 3, elements / 2]
        let gradients = lengths.enumerated().map { g, length in
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: length)
            for j in 0..<length { buffer[j] = Float(r + 1) * Float(g + j % 5 + 1) }
            return buffer
        }
        defer { gradients.forEach { $0.deallocate() } }
        let reduction = BucketedAllReduce(elementCounts: lengths, communicator: communicator,
                                          capacity: 64 << 10, firstCapacity: 4 << 10)
        for index in [1, 0, 2, 4, 3, 6, 5] { try reduction.markReady(index, gradient: gradients[index]) }
        try reduction.finish()
        var offset = 0
        for (g, gradient) in gradients.enumerated() {
            if let wrong = firstMismatch(Array(gradient), { Float(n + 1) / 2 * Float(g + $0 % 5 + 1) }) {
                return offset + wrong
            }
            offset += gradient.count
        }
        return nil
    }

    private func broadcastFloats(_ communicator: some Communicator) throws -> Int? {
        let root = communicator.worldSize - 1
        var values = communicator.rank == root ? (0..<elements).map { Float($0) * 0.25 + Float(root) }
                                               : [Float](repeating: -1, count: elements)
        try communicator.broadcast(&values, from: root)
        return firstMismatch(values) { Float($0) * 0.25 + Float(root) }
    }

    /// Rank 0's text reaches the others, which pass an empty string; the index is where the text first differs.
    private func broadcastText(_ communicator: some Communicator) throws -> Int? {
        let text = "model:\n  name: resnet50d  # ü, ∑ and 🚀 travel as UTF-8 bytes\n"
        let received = try communicator.broadcast(communicator.rank == 0 ? text : "", from: 0)
        let (sent, got) = (Array(text.utf8), Array(received.utf8))
        guard sent != got else { return nil }
        return zip(sent, got).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(sent.count, got.count)
    }

    private func allGatherInt64(_ communicator: some Communicator) throws -> Int? {
        let r = Int64(communicator.rank)
        let gathered = try communicator.allGather([r, r * r, -r, 1 << 40])
        guard gathered.count == communicator.worldSize else { return 0 }
        return firstMismatch(gathered.flatMap { $0 }) { j in
            let k = Int64(j / 4)
            return [k, k * k, -k, 1 << 40][j % 4]
        }
    }

    private func allGatherFloat64(_ communicator: some Communicator) throws -> Int? {
        let gathered = try communicator.allGather([Double(communicator.rank) + 0.25])
        guard gathered.count == communicator.worldSize else { return 0 }
        return firstMismatch(gathered.flatMap { $0 }) { Double($0) + 0.25 }
    }
}
