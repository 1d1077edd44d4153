import DataPipeline
import Foundation

/// The image-decoding fixtures and their PIL goldens, as `scripts/fixtures/make_image_fixtures.py` wrote them.
///
/// Layout: `Fixtures/images/manifest.json` lists decode cases (file, options,
/// golden, size, tolerance), files that must fail (with the category) and
/// header probes; goldens are raw `height × width × channels` bytes.
struct DecodingFixtures: Decodable {
    /// One expected decode: a fixture file, the options, and PIL's pixels for it.
    struct Case: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let file: String
        let golden: String
        let width: Int
        let height: Int
        let channels: Int
        let tolerance: Int
        let note: String
        let colorMode: String?
        let appliesOrientation: Bool?
        let alpha: String?
        let background: [UInt8]?
        let minimumWidth: Int?
        let minimumHeight: Int?

        /// The decoder options this case was generated for.
        var options: ImageDecodingOptions {
            var options = ImageDecodingOptions()
            options.colorMode = colorMode == "grey" ? .grey : .rgb
            options.appliesExifOrientation = appliesOrientation ?? true
            if alpha == "discard" {
                options.alpha = .discard
            } else if let background, background.count == 3 {
                options.alpha = .composite(onto: .init(red: background[0], green: background[1], blue: background[2]))
            }
            if let minimumWidth, let minimumHeight {
                options.minimumSize = .atLeast(width: minimumWidth, height: minimumHeight)
            }
            return options
        }

        var description: String { name }
    }

    /// A file that must not decode, and the category it must report.
    struct Failure: Decodable, Sendable, CustomStringConvertible {
        let file: String
        let category: String

        var description: String { file }
    }

    /// What probing a file must report; absent fields are not checked.
    struct Probe: Decodable, Sendable, CustomStringConvertible {
        let file: String
        let format: String
        let width: Int?
        let height: Int?
        let orientation: Int?
        let orientedWidth: Int?
        let orientedHeight: Int?
        let jpegColorSpace: String?
        let pngColorType: String?
        let pngBitDepth: Int?
        let pngHasTransparency: Bool?
        let pngInterlaced: Bool?

        var description: String { file }
    }

    let cases: [Case]
    let failures: [Failure]
    let probes: [Probe]

    /// The manifest, or an empty one when it cannot be read (`manifestIsComplete` then fails).
    static let manifest: DecodingFixtures = (try? load()) ?? DecodingFixtures(cases: [], failures: [], probes: [])

    /// Reads and decodes the manifest from the test bundle.
    static func load() throws -> DecodingFixtures {
        try JSONDecoder().decode(DecodingFixtures.self, from: Data(contentsOf: url(of: "manifest.json")))
    }

    /// Where a fixture file lies in the test bundle.
    static func url(of name: String) throws -> URL {
        guard let folder = Bundle.module.url(forResource: "images", withExtension: nil, subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/images"])
        }
        return folder.appendingPathComponent(name)
    }

    /// A fixture file's bytes.
    static func bytes(of name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(of: name)))
    }
}

/// The largest absolute difference between two equally long byte arrays, or nil when their lengths differ.
func largestDifference(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int? {
    guard lhs.count == rhs.count else { return nil }
    return zip(lhs, rhs).map { abs(Int($0) - Int($1)) }.max() ?? 0
}
