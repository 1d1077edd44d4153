import DataPipeline
import Foundation
import Testing

/// Class-map files: timm's one-name-per-line form, `name id` pairs, and their errors.
struct ClassMapTests {
    @Test func oneNamePerLineGivesLineNumbersAsIDs() throws {
        let map = try ClassMap(parsing: "  n01440764 \r\nn01443537\n\n\n", path: "synsets.txt")

        #expect(map.classNames == ["n01440764", "n01443537"])
        #expect(map.id(of: "n01443537") == 1)
        #expect(map.id(of: "n00000000") == nil)
    }

    @Test func pairsGiveTheirIDsAndNamesMayHoldSpaces() throws {
        let map = try ClassMap(parsing: "Ankle boot 2\nT-shirt\t0\nBag 1\n", path: "pairs.txt")

        #expect(map.classNames == ["T-shirt", "Bag", "Ankle boot"])
        #expect(map.id(of: "Ankle boot") == 2)
    }

    @Test func badLinesAreNamedByNumber() {
        #expect(throws: ClassMapError.emptyLine(path: "m.txt", line: 2)) { try ClassMap(parsing: "a\n\nb\n", path: "m.txt") }
        #expect(throws: ClassMapError.malformedPair(path: "m.txt", line: 2, text: "b")) {
            try ClassMap(parsing: "a 0\nb\n", path: "m.txt")
        }
        #expect(throws: ClassMapError.duplicateName(path: "m.txt", name: "a", firstLine: 1, line: 3)) {
            try ClassMap(parsing: "a\nb\na\n", path: "m.txt")
        }
        #expect(throws: ClassMapError.duplicateID(path: "m.txt", line: 2, id: 0, firstName: "a")) {
            try ClassMap(parsing: "a 0\nb 0\n", path: "m.txt")
        }
        #expect(throws: ClassMapError.idOutOfRange(path: "m.txt", line: 2, id: 5, classCount: 2)) {
            try ClassMap(parsing: "a 0\nb 5\n", path: "m.txt")
        }
        #expect(throws: ClassMapError.empty(path: "m.txt")) { try ClassMap(parsing: "\n\n", path: "m.txt") }
    }

    @Test func missingFileIsNamed() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("absent.txt")

        let error = #expect(throws: ClassMapError.self) { try ClassMap.read(contentsOf: url) }

        #expect(error == .missingFile(path: url.path))
        #expect(error?.description.contains(url.path) == true)
    }
}
