import DataPipeline
import Foundation
import Testing

/// Image list files: both separators, headers, quoting, multi-label lines, and the errors for bad or missing entries.
struct ImageListFileTests {
    /// The paths of an index over files, in sample order.
    func paths(_ index: SampleIndex) -> [String] {
        guard case let .files(_, paths) = index.storage else { return [] }
        return Array(paths)
    }

    /// Every sample's labels, in sample order.
    func labels(_ index: SampleIndex) -> [[Int32]] {
        (0..<index.count).map { Array(index.sample(at: $0).labels) }
    }

    @Test func csvWithHeaderIndexesPathsRelativeToTheRoot() throws {
        let directory = try TemporaryDirectory()
        let root = try directory.makeFiles(["images/a.jpg", "images/sub/b.png", "images/c.jpg"]).appendingPathComponent("images")
        let list = try directory.writeText("path,label\na.jpg,3\n\n sub/b.png , 0\r\nc.jpg,3\n", to: "train.csv")

        let index = try ImageListFile.index(listFile: list, root: root)

        #expect(paths(index) == ["a.jpg", "sub/b.png", "c.jpg"])
        #expect(labels(index) == [[3], [0], [3]])
        #expect(index.classNames == ["0", "1", "2", "3"])
        #expect(index.classesWithoutSamples() == ["1", "2"])
        #expect(!index.isMultiLabel)
        #expect(index.sample(at: 1).location == .file(root.appendingPathComponent("sub/b.png")))
    }

    @Test func whitespaceSeparatedLinesAcceptSpacesAndTabs() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["a.jpg", "b.jpg"])

        let index = try ImageListFile.index(parsing: "a.jpg 1\nb.jpg\t \t0\n", listFilePath: "val.txt", root: directory.url)

        #expect(paths(index) == ["a.jpg", "b.jpg"])
        #expect(labels(index) == [[1], [0]])
    }

    @Test func multiLabelLinesTakeSeveralLabelsInEverySpelling() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["a.jpg", "b.jpg", "c.jpg", "d.jpg"])
        let options = ImageListFile.Options(labeling: .multiLabel)

        let csv = try ImageListFile.index(
            parsing: "a.jpg,3 7 9\nb.jpg,\"3 7 9\"\nc.jpg,3,7,9\nd.jpg,2\n", listFilePath: "multi.csv",
            root: directory.url, options: options
        )
        let whitespace = try ImageListFile.index(
            parsing: "a.jpg 3 7 9\nd.jpg 2\n", listFilePath: "multi.txt", root: directory.url, options: options
        )

        #expect(csv.isMultiLabel)
        #expect(labels(csv) == [[3, 7, 9], [3, 7, 9], [3, 7, 9], [2]])
        #expect(labels(whitespace) == [[3, 7, 9], [2]])
        #expect(csv.countsPerClass()[3] == 3)
        #expect(csv.classNames.count == 10)
    }

    @Test func quotedCSVPathsMayHoldCommasQuotesAndSpaces() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["my, \"best\" cat.jpg", "plain.jpg"])

        let index = try ImageListFile.index(
            parsing: "\"my, \"\"best\"\" cat.jpg\",1\nplain.jpg,0\n", listFilePath: "q.csv", root: directory.url
        )

        #expect(paths(index) == ["my, \"best\" cat.jpg", "plain.jpg"])
        #expect(labels(index) == [[1], [0]])
    }

    @Test func classNamesCanSpellLabelsAndBoundIndices() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["a.jpg", "b.jpg"])
        let map = ClassMap(classNames: ["cat", "dog", "Ankle boot"], source: "classes.txt")

        let named = try ImageListFile.index(
            parsing: "file,class\na.jpg,dog\nb.jpg,cat\n", listFilePath: "n.csv", root: directory.url,
            options: .init(classes: .named(map))
        )
        let error = #expect(throws: ImageListFileError.self) {
            try ImageListFile.index(
                parsing: "a.jpg 1\nb.jpg 2\n", listFilePath: "i.txt", root: directory.url,
                options: .init(classes: .indexed(names: ["cat", "dog"]))
            )
        }

        #expect(named.classNames == ["cat", "dog", "Ankle boot"])
        #expect(labels(named) == [[1], [0]])
        #expect(error == .badLabel(listFile: "i.txt", line: 2, label: "2", expected: "a class index in 0..<2"))
    }

    @Test func absolutePathsAreKeptAsTheyAre() throws {
        let directory = try TemporaryDirectory()
        let elsewhere = try directory.makeFiles(["elsewhere/x.jpg"]).appendingPathComponent("elsewhere/x.jpg")

        let index = try ImageListFile.index(
            parsing: "\(elsewhere.path) 0\n", listFilePath: "abs.txt", root: URL(fileURLWithPath: "/nonexistent")
        )

        #expect(index.sample(at: 0).location == .file(elsewhere))
    }

    @Test func badLinesThrowNamingFileLineAndExpectation() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["a.jpg", "b.jpg"])
        func failure(_ text: String, _ options: ImageListFile.Options = .init()) -> ImageListFileError? {
            #expect(throws: ImageListFileError.self) {
                try ImageListFile.index(parsing: text, listFilePath: "list.txt", root: directory.url, options: options)
            }
        }

        let missingLabel = failure("a.jpg 0\n\nb.jpg\n")
        let wordLabel = failure("a.jpg 0\nb.jpg cat\n")
        let twoLabels = failure("a.jpg 0\nb.jpg 1 2\n")
        let headerDeclaredAbsent = failure("path,label\na.jpg,0\n", .init(header: .absent))
        let duplicate = failure("a.jpg 1 1\n", .init(labeling: .multiLabel))
        let unterminated = failure("a.jpg,0\n\"b.jpg,1\n")
        let negative = failure("a.jpg -1\n")
        let huge = failure("a.jpg 2000000000\n")

        let integer = "a non-negative integer class index below 1048576 (give class names for more)"
        #expect(
            missingLabel == .malformedLine(listFile: "list.txt", line: 3, expected: "a label after the path \"b.jpg\"", found: "b.jpg")
        )
        #expect(missingLabel?.description.hasPrefix("list.txt:3: expected a label") == true)
        #expect(wordLabel == .badLabel(listFile: "list.txt", line: 2, label: "cat", expected: integer))
        guard case .malformedLine(_, 2, _, "b.jpg 1 2") = twoLabels else {
            Issue.record("expected a malformed line 2, found \(String(describing: twoLabels))")
            return
        }
        #expect(headerDeclaredAbsent == .badLabel(listFile: "list.txt", line: 1, label: "label", expected: integer))
        #expect(duplicate == .duplicateLabel(listFile: "list.txt", line: 1, label: "1"))
        #expect(unterminated == .malformedLine(listFile: "list.txt", line: 2, expected: "a closing double quote", found: "\"b.jpg,1"))
        #expect(huge == .badLabel(listFile: "list.txt", line: 1, label: "2000000000", expected: integer))
        #expect(negative == .badLabel(listFile: "list.txt", line: 1, label: "-1", expected: integer))
    }

    @Test func missingImageThrowsNamingListFileLineAndPath() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["a.jpg"])
        try directory.makeFolders(["folder.jpg"])
        let list = try directory.writeText("a.jpg 0\ngone.jpg 1\nfolder.jpg 0\n", to: "list.txt")

        let error = #expect(throws: ImageListFileError.self) { try ImageListFile.index(listFile: list, root: directory.url) }
        let deferred = try ImageListFile.index(listFile: list, root: directory.url, options: .init(existenceCheck: .deferred))

        let missingPath = directory.url.appendingPathComponent("gone.jpg").path
        #expect(error == .missingImage(listFile: list.path, line: 2, imagePath: missingPath, missingCount: 2))
        #expect(
            error?.description
                == "\(list.path):2: image file \(missingPath) does not exist: expected a regular file (1 more line name missing files too)"
        )
        #expect(deferred.count == 3)
    }

    @Test func emptyOrMissingListFileIsNamed() throws {
        let directory = try TemporaryDirectory()
        let empty = try directory.writeText("\n\n", to: "empty.txt")
        let absent = directory.url.appendingPathComponent("absent.txt")

        #expect(throws: ImageListFileError.noEntries(path: empty.path)) {
            try ImageListFile.index(listFile: empty, root: directory.url)
        }
        #expect(throws: ImageListFileError.missingListFile(path: absent.path)) {
            try ImageListFile.index(listFile: absent, root: directory.url)
        }
    }
}
