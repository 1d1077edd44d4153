import Foundation
import TestSupport

/// The PyTorch outputs in `Fixtures/reference_cases.json`, written by `scripts/golden/make_reference_fixture.py`.
///
/// Each case names its tensors (shape plus row-major Float64 values), integer parameters
/// (geometry, labels) and real parameters (epsilon, momentum). The file is the only
/// place PyTorch's semantics enter the tests, so a reference op agreeing with it to 1e-10
/// agrees with PyTorch, not with our reading of PyTorch's documentation.
struct ReferenceFixture: Decodable, Sendable {
    /// One recorded PyTorch computation: its inputs, its outputs, and its parameters.
    struct Case: Decodable, Sendable {
        var tensors: [String: StoredTensor]
        var integers: [String: [Int]]
        var numbers: [String: Double]

        /// The tensor stored under `name`.
        func tensor(_ name: String) throws -> ReferenceTensor {
            guard let stored = tensors[name] else { throw ReferenceFixtureError.missing(name) }
            return ReferenceTensor(shape: stored.shape, values: stored.values)
        }

        /// The integers stored under `name`.
        func integers(_ name: String) throws -> [Int] {
            guard let values = integers[name] else { throw ReferenceFixtureError.missing(name) }
            return values
        }

        /// The (height, width) pair stored under `name`.
        func pair(_ name: String) throws -> (Int, Int) {
            let values = try integers(name)
            guard values.count == 2 else { throw ReferenceFixtureError.malformed(name) }
            return (values[0], values[1])
        }

        /// The real number stored under `name`.
        func number(_ name: String) throws -> Double {
            guard let value = numbers[name] else { throw ReferenceFixtureError.missing(name) }
            return value
        }

        /// The scalar stored as a one-element tensor under `name` (PyTorch's losses).
        func scalar(_ name: String) throws -> Double {
            let stored = try tensor(name)
            guard stored.elementCount == 1 else { throw ReferenceFixtureError.malformed(name) }
            return stored.values[0]
        }
    }

    /// A tensor as the script writes it.
    struct StoredTensor: Decodable, Sendable {
        var shape: [Int]
        var values: [Double]
    }

    var torchVersion: String
    var cases: [String: Case]

    enum CodingKeys: String, CodingKey {
        case torchVersion = "torch_version"
        case cases
    }

    /// The fixture file, decoded from the test bundle.
    static func load() throws -> ReferenceFixture {
        guard let url = Bundle.module.url(forResource: "reference_cases", withExtension: "json",
                                          subdirectory: "Fixtures") else {
            throw ReferenceFixtureError.missing("Fixtures/reference_cases.json")
        }
        return try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
    }

    /// The case recorded under `name`.
    static func named(_ name: String) throws -> Case {
        guard let found = try load().cases[name] else { throw ReferenceFixtureError.missing(name) }
        return found
    }
}

/// What can be wrong with the fixture file: a name the test expects is absent, or has the wrong form.
enum ReferenceFixtureError: Error, CustomStringConvertible {
    case missing(String)
    case malformed(String)

    var description: String {
        switch self {
        case .missing(let name): "reference fixture has no \(name); rerun scripts/golden/make_reference_fixture.py"
        case .malformed(let name): "reference fixture entry \(name) has the wrong form"
        }
    }
}
