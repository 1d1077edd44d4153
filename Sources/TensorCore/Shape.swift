/// The dimensions of a tensor, outermost first (NCHW for images, NC for features, OIHW for weights).
public struct Shape: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public var dimensions: [Int]

    public init(_ dimensions: [Int]) {
        precondition(dimensions.allSatisfy { $0 >= 0 }, "negative dimension in \(dimensions)")
        self.dimensions = dimensions
    }

    public init(arrayLiteral elements: Int...) {
        self.init(elements)
    }

    public var rank: Int { dimensions.count }

    /// The number of elements: the product of the dimensions (1 for a scalar).
    public var elementCount: Int { dimensions.reduce(1, *) }

    public subscript(axis: Int) -> Int {
        dimensions[axis]
    }

    /// Row-major strides in elements.
    public var contiguousStrides: [Int] {
        var strides = [Int](repeating: 1, count: rank)
        var running = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= dimensions[axis]
        }
        return strides
    }

    public var description: String {
        "[" + dimensions.map(String.init).joined(separator: ", ") + "]"
    }
}
