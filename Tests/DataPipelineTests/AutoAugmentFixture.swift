@testable import DataPipeline
import Foundation

/// The golden AutoAugment outputs written by scripts/fixtures/make_autoaugment_fixtures.py from PIL 9.4 and torchvision 0.14.
///
/// Shapes: `Fixtures/autoaugment/manifest.json` names three source images, the
/// TrivialAugmentWide magnitude tables and one case per op and setting; every
/// image's HWC bytes sit at its `offset` in `Fixtures/autoaugment/autoaugment.bin`.
/// Loaded once and shared by the AutoAugment suites.
struct AutoAugmentFixture: Sendable {
    /// Where one image's bytes are and what shape they have (the transform fixtures' layout).
    typealias ImageEntry = TransformFixture.ImageEntry

    /// One op of a case, with the draws the script fixed.
    struct Step: Decodable, Sendable {
        var operation: String?
        var magnitude: Double
        var negated: Bool?
        var interpolation: String
        var argument: Double?
    }

    /// One op or sequence of ops at fixed settings, with the output PIL or torchvision produced.
    struct Case: Decodable, Sendable {
        var name: String
        var scheme: String
        var source: String
        var steps: [Step]
        var output: ImageEntry
    }

    /// The manifest's JSON layout, written by the fixture script.
    private struct Manifest: Decodable {
        var timmFill: [UInt8]
        var timmTranslateConstant: Int
        var timmTranslateFraction: Double
        var sources: [String: ImageEntry]
        var trivialAugmentMagnitudes: [String: [Double]]
        var cases: [Case]

        enum CodingKeys: String, CodingKey {
            case timmFill = "timm_fill"
            case timmTranslateConstant = "timm_translate_const"
            case timmTranslateFraction = "timm_translate_pct"
            case sources
            case trivialAugmentMagnitudes = "trivial_augment_magnitudes"
            case cases
        }
    }

    let sources: [String: ByteImage]
    let cases: [Case]
    let trivialAugmentMagnitudes: [String: [Double]]
    let hyperparameters: AugmentHyperparameters
    private let bytes: [UInt8]

    /// The fixture, read from the test bundle once.
    static let shared: Result<AutoAugmentFixture, Error> = Result { try AutoAugmentFixture() }

    /// The shared fixture, or the error that kept it from loading.
    static func load() throws -> AutoAugmentFixture { try shared.get() }

    private init() throws {
        guard let manifestURL = Bundle.module.url(forResource: "manifest", withExtension: "json",
                                                  subdirectory: "Fixtures/autoaugment"),
              let blobURL = Bundle.module.url(forResource: "autoaugment", withExtension: "bin",
                                              subdirectory: "Fixtures/autoaugment")
        else { throw TransformFixtureError.missing("Fixtures/autoaugment/manifest.json or autoaugment.bin") }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL))
        bytes = [UInt8](try Data(contentsOf: blobURL))
        cases = manifest.cases
        trivialAugmentMagnitudes = manifest.trivialAugmentMagnitudes
        let fill = manifest.timmFill
        hyperparameters = AugmentHyperparameters(fill: FillColor(red: fill[0], green: fill[1], blue: fill[2]),
                                                 interpolation: .fixed(.bilinear),
                                                 translateConstant: manifest.timmTranslateConstant,
                                                 translateFraction: manifest.timmTranslateFraction)
        var sources: [String: ByteImage] = [:]
        for (name, entry) in manifest.sources {
            sources[name] = try entry.image(in: bytes, file: "autoaugment.bin")
        }
        self.sources = sources
    }

    /// The cases of one scheme ("timm", "torchvision" or "pil_rotate").
    func cases(scheme: String) -> [Case] { cases.filter { $0.scheme == scheme } }

    /// The source image a case starts from.
    func source(of testCase: Case) throws -> ByteImage {
        guard let image = sources[testCase.source] else { throw TransformFixtureError.missing(testCase.source) }
        return image
    }

    /// The output PIL or torchvision produced for a case.
    func expected(_ testCase: Case) throws -> ByteImage { try testCase.output.image(in: bytes, file: "autoaugment.bin") }

    /// A step's interpolation.
    static func interpolation(_ step: Step) throws -> Interpolation {
        guard let interpolation = Interpolation(rawValue: step.interpolation) else {
            throw TransformFixtureError.missing("interpolation \(step.interpolation)")
        }
        return interpolation
    }
}
