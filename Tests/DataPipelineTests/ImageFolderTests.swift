import DataPipeline
import Foundation
import Testing

/// Indexing `root/<class>/<image>` folders: torchvision's order and selection, and every documented error.
struct ImageFolderTests {
    /// The relative paths of an index over files, in sample order.
    func paths(_ index: SampleIndex) -> [String] {
        guard case let .files(_, paths) = index.storage else { return [] }
        return Array(paths)
    }

    /// Every sample's single label, in sample order.
    func labels(_ index: SampleIndex) -> [Int32] {
        (0..<index.count).map { index.sample(at: $0).label }
    }

    /// The expected order was produced by torchvision 0.14's `find_classes` and
    /// `make_dataset` on the same tree (hidden entries aside, which torchvision keeps
    /// and Hone skips): classes byte-wise (`B` before `a_class`, decomposed `é` before
    /// `f` before precomposed `é`), folders as `sorted(os.walk)` visits them
    /// (`sub` < `sub-x` < `sub/inner`), files byte-wise within a folder.
    @Test func classesAndFilesFollowTorchvisionOrder() throws {
        let directory = try TemporaryDirectory()
        let decomposed = "e\u{301}"
        let precomposed = "\u{E9}"
        try directory.makeFiles([
            "b_class/z.jpg", "b_class/a.PNG", "b_class/notes.txt", "b_class/sub/c.jpg", "b_class/sub-x/d.jpeg",
            "b_class/sub/inner/e.JPG", "b_class/Z.tif", "a_class/1.jpg", "a_class/10.jpg", "a_class/2.jpg", "B/x.webp",
            "file.jpg", "\(decomposed)/1.bmp", "f/1.ppm", "\(precomposed)/1.pgm",
        ])
        try directory.makeFolders(["a_class/empty-sub"])
        try directory.makeLink(at: "a_class/linkdir", to: "../B")

        let index = try ImageFolder.index(root: directory.url)

        let expectedClasses = ["B", "a_class", "b_class", decomposed, "f", precomposed]
        #expect(index.classNames.map { Array($0.utf8) } == expectedClasses.map { Array($0.utf8) })
        #expect(paths(index).map { Array($0.utf8) } == [
            "B/x.webp", "a_class/1.jpg", "a_class/10.jpg", "a_class/2.jpg", "a_class/linkdir/x.webp",
            "b_class/Z.tif", "b_class/a.PNG", "b_class/z.jpg", "b_class/sub/c.jpg", "b_class/sub-x/d.jpeg",
            "b_class/sub/inner/e.JPG", "\(decomposed)/1.bmp", "f/1.ppm", "\(precomposed)/1.pgm",
        ].map { Array($0.utf8) })
        #expect(labels(index) == [0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 4, 5])
        #expect(!index.isMultiLabel)
    }

    @Test func hiddenFilesAndFoldersAreSkippedAtEveryLevel() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles([
            "cat/1.jpg", "cat/.hidden.jpg", "cat/._1.jpg", "cat/.git/2.jpg", "cat/sub/.x/3.jpg", "cat/sub/4.jpg",
            ".ipynb_checkpoints/5.jpg", "dog/6.jpg",
        ])

        let index = try ImageFolder.index(root: directory.url)

        #expect(index.classNames == ["cat", "dog"])
        #expect(paths(index) == ["cat/1.jpg", "cat/sub/4.jpg", "dog/6.jpg"])
    }

    @Test func extensionsMatchIgnoringCaseAndCanBeChosen() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["c/a.JPEG", "c/b.Png", "c/c.TIFF", "c/d.txt", "c/e.jpg.bak", "c/f.WebP", "c/g.gif", "c/jpg"])

        let defaults = try ImageFolder.index(root: directory.url)
        let custom = try ImageFolder.index(root: directory.url, options: .init(extensions: [".gif", ".txt"]))

        #expect(paths(defaults) == ["c/a.JPEG", "c/b.Png", "c/c.TIFF", "c/f.WebP"])
        #expect(paths(custom) == ["c/d.txt", "c/g.gif"])
    }

    @Test func emptyClassFolderThrowsNamingIt() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["cat/1.jpg", "empty/readme.txt", "empty/.hidden.jpg", "dog/2.jpg"])
        try directory.makeFolders(["void"])

        let error = #expect(throws: ImageFolderError.self) { try ImageFolder.index(root: directory.url) }

        let emptyPath = directory.url.path + "/empty"
        let voidPath = directory.url.path + "/void"
        #expect(error == .emptyClassFolders(paths: [emptyPath, voidPath], extensions: ImageFileExtensions.torchvision))
        #expect(error?.description.contains(emptyPath) == true)
        #expect(error?.description.contains(voidPath) == true)
    }

    @Test func allowedEmptyClassKeepsItsIDAndIsReported() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["a/1.jpg", "c/2.jpg"])
        try directory.makeFolders(["b"])

        let index = try ImageFolder.index(root: directory.url, options: .init(emptyClasses: .allow))

        #expect(index.classNames == ["a", "b", "c"])
        #expect(labels(index) == [0, 2])
        #expect(index.classesWithoutSamples() == ["b"])
        #expect(index.countsPerClass() == [1, 0, 1])
    }

    @Test func classMapFileFixesIDsWhileSamplesKeepFolderOrder() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["data/bird/1.jpg", "data/cat/2.jpg", "data/dog/3.jpg"])
        let mapURL = try directory.writeText("cat\ndog\nbird\n\n", to: "classes.txt")

        let map = try ClassMap.read(contentsOf: mapURL)
        let index = try ImageFolder.index(root: directory.url.appendingPathComponent("data"), options: .init(classMap: map))

        #expect(index.classNames == ["cat", "dog", "bird"])
        #expect(paths(index) == ["bird/1.jpg", "cat/2.jpg", "dog/3.jpg"])
        #expect(labels(index) == [2, 0, 1])
    }

    @Test func folderMissingFromClassMapIsRejectedByName() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["cat/1.jpg", "cow/2.jpg"])
        let map = ClassMap(classNames: ["cat", "dog"], source: "classes.txt")

        let error = #expect(throws: ImageFolderError.self) {
            try ImageFolder.index(root: directory.url, options: .init(classMap: map))
        }

        #expect(error == .classNotInMap(folder: directory.url.path + "/cow", classMapSource: "classes.txt"))
        #expect(error?.description.contains("cow") == true)
    }

    @Test func mappedClassWithoutFolderIsAnEmptyClass() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["cat/1.jpg"])
        let map = ClassMap(classNames: ["cat", "dog"], source: "classes.txt")

        let error = #expect(throws: ImageFolderError.self) {
            try ImageFolder.index(root: directory.url, options: .init(classMap: map))
        }
        let allowed = try ImageFolder.index(root: directory.url, options: .init(emptyClasses: .allow, classMap: map))

        #expect(error == .classFoldersMissing(root: directory.url.path, classNames: ["dog"], classMapSource: "classes.txt"))
        #expect(allowed.classNames == ["cat", "dog"])
        #expect(allowed.classesWithoutSamples() == ["dog"])
    }

    @Test func locationsResolveAgainstTheRoot() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["cat/sub/1.jpg"])

        let index = try ImageFolder.index(root: directory.url)

        #expect(index.sample(at: 0).location == .file(directory.url.appendingPathComponent("cat/sub/1.jpg")))
    }

    @Test func missingRootFileRootAndRootWithoutClassesAreErrors() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.writeText("x", to: "file.jpg")
        let missing = directory.url.appendingPathComponent("absent")

        #expect(throws: ImageFolderError.missingRoot(path: missing.path)) { try ImageFolder.index(root: missing) }
        #expect(throws: ImageFolderError.notADirectory(path: file.path)) { try ImageFolder.index(root: file) }
        #expect(throws: ImageFolderError.noClassFolders(root: directory.url.path)) { try ImageFolder.index(root: directory.url) }
    }

    @Test func brokenLinkToAnImageThrowsNamingIt() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["cat/1.jpg"])
        try directory.makeLink(at: "cat/2.jpg", to: "nowhere.jpg")
        try directory.makeLink(at: "cat/notes.txt", to: "nowhere.txt")

        #expect(throws: ImageFolderError.brokenLink(path: directory.url.path + "/cat/2.jpg")) {
            try ImageFolder.index(root: directory.url)
        }
    }

    @Test func linkCycleThrowsInsteadOfWalkingForever() throws {
        let directory = try TemporaryDirectory()
        try directory.makeFiles(["cat/1.jpg"])
        try directory.makeLink(at: "cat/sub/loop", to: "..")

        #expect(throws: ImageFolderError.symbolicLinkCycle(path: directory.url.path + "/cat/sub/loop")) {
            try ImageFolder.index(root: directory.url)
        }
    }
}
