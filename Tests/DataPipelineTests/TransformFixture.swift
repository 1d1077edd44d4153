@testable import DataPipeline
import Foundation

/// The golden transform outputs written by scripts/fixtures/make_transform_fixtures.py from PIL 9.4 and torchvision 0.14.
///
/// Shapes: `Fixtures/transforms/manifest.json` names two source images and one
/// case per operation and setting; every image's HWC bytes sit at its `offset` in
/// `Fixtures/transforms/transforms.bin`. Loaded once and shared by the transform suites.
struct TransformFixture: Sendable {
    /// Where one image's bytes are and what shape they have.
    struct ImageEntry: Decodable, Sendable {
        var width: Int
        var height: Int
        var channels: Int
        var offset: Int

        /// The image these bytes of `file` hold.
        func image(in bytes: [UInt8], file: String) throws -> ByteImage {
            let count = width * height * channels
            guard offset >= 0, offset + count <= bytes.count else {
                throw TransformFixtureError.missing("\(count) bytes at offset \(offset) of \(file)")
            }
            return ByteImage(width: width, height: height, channels: channels,
                             pixels: Array(bytes[offset..<(offset + count)]))
        }
    }

    /// One parameter of a case: a number, a list of numbers, or text.
    enum Parameter: Decodable, Sendable {
        case number(Double)
        case numbers([Double])
        case text(String)

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let numbers = try? container.decode([Double].self) {
                self = .numbers(numbers)
            } else {
                self = .text(try container.decode(String.self))
            }
        }
    }

    /// One operation at one setting, with the output PIL or torchvision produced.
    struct Case: Decodable, Sendable {
        var name: String
        var op: String
        var source: String
        var params: [String: Parameter]
        var output: ImageEntry

        /// The number parameter `key`.
        func number(_ key: String) throws -> Double {
            guard case .number(let value)? = params[key] else { throw TransformFixtureError.missing("\(name).\(key)") }
            return value
        }

        /// The integer parameter `key`.
        func integer(_ key: String) throws -> Int { Int(try number(key)) }

        /// The list parameter `key`.
        func numbers(_ key: String) throws -> [Double] {
            guard case .numbers(let value)? = params[key] else { throw TransformFixtureError.missing("\(name).\(key)") }
            return value
        }

        /// The interpolation named by the `filter` parameter.
        func interpolation() throws -> Interpolation {
            guard case .text(let name)? = params["filter"], let interpolation = Interpolation(rawValue: name) else {
                throw TransformFixtureError.missing("\(self.name).filter")
            }
            return interpolation
        }
    }

    private struct Manifest: Decodable {
        var sources: [String: ImageEntry]
        var cases: [Case]
    }

    let sources: [String: ByteImage]
    let cases: [Case]
    private let bytes: [UInt8]

    /// The fixture, read from the test bundle once.
    static let shared: Result<TransformFixture, Error> = Result { try TransformFixture() }

    /// The shared fixture, or the error that kept it from loading.
    static func load() throws -> TransformFixture { try shared.get() }

    private init() throws {
        guard let manifestURL = Bundle.module.url(forResource: "manifest", withExtension: "json",
                                                  subdirectory: "Fixtures/transforms"),
              let blobURL = Bundle.module.url(forResource: "transforms", withExtension: "bin",
                                              subdirectory: "Fixtures/transforms")
        else { throw TransformFixtureError.missing("Fixtures/transforms/manifest.json or transforms.bin") }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL))
        bytes = [UInt8](try Data(contentsOf: blobURL))
        cases = manifest.cases
        var sources: [String: ByteImage] = [:]
        for (name, entry) in manifest.sources {
            sources[name] = try entry.image(in: bytes, file: "transforms.bin")
        }
        self.sources = sources
    }

    /// The cases of operation `op`.
    func cases(_ op: String) -> [Case] { cases.filter { $0.op == op } }

    /// The source image a case starts from.
    func source(of testCase: Case) throws -> ByteImage {
        guard let image = sources[testCase.source] else { throw TransformFixtureError.missing(testCase.source) }
        return image
    }

    /// The output PIL or torchvision produced for a case.
    func expected(_ testCase: Case) throws -> ByteImage { try testCase.output.image(in: bytes, file: "transforms.bin") }
}

/// What can be wrong with the transform fixture: a file, case or parameter the tests expect is absent.
enum TransformFixtureError: Error, CustomStringConvertible {
    case missing(String)

    var description: String {
        switch self {
        case .missing(let what): "transform fixture: \(what) is missing"
        }
    }
}

/// How far two images are apart: whether their shapes agree, the largest byte difference and how many bytes differ.
struct ImageDifference: CustomStringConvertible {
    var sameShape: Bool
    var largest: Int
    var differing: Int
    var total: Int

    init(_ actual: ByteImage, _ expected: ByteImage) {
        sameShape = actual.width == expected.width && actual.height == expected.height
            && actual.channels == expected.channels
        total = expected.pixels.count
        guard sameShape else {
            largest = 255
            differing = total
            return
        }
        let differences = zip(actual.pixels, expected.pixels).map { abs(Int($0) - Int($1)) }
        largest = differences.max() ?? 0
        differing = differences.filter { $0 != 0 }.count
    }

    /// Whether the images are byte for byte equal.
    var isExact: Bool { sameShape && differing == 0 }

    var description: String {
        sameShape ? "largest difference \(largest), \(differing) of \(total) bytes differ" : "shapes differ"
    }
}
