import DataPipeline
import Testing

/// Pairing an images file with a labels file, and the checks that the pair agrees.
struct LabeledImageSetTests {
    let classNames = ["zero", "one", "two"]

    @Test func loadsMatchingImagesAndLabels() throws {
        let directory = try TemporaryDirectory()
        let pixels = countingBytes(3 * 2 * 4)
        let imagesURL = try directory.write(
            idxBytes(dimensions: [3, 2, 4], elements: pixels), named: "images.gz", storage: .gzip
        )
        let labelsURL = try directory.write(idxBytes(dimensions: [3], elements: [2, 0, 2]), named: "labels")

        let set = try LabeledImageSet.load(imagesAt: imagesURL, labelsAt: labelsURL, classNames: classNames)

        #expect(set.count == 3)
        #expect(set.height == 2)
        #expect(set.width == 4)
        #expect(set.channels == 1)
        #expect(set.pixels == pixels)
        #expect(set.labels == [2, 0, 2])
        #expect(Array(set.image(at: 1)) == Array(pixels[8..<16]))
        #expect(set.countsPerClass() == [1, 0, 2])
    }

    @Test func countMismatchNamesBothFiles() throws {
        let directory = try TemporaryDirectory()
        let imagesURL = try directory.write(idxBytes(dimensions: [3, 1, 1], elements: [0, 0, 0]), named: "images")
        let labelsURL = try directory.write(idxBytes(dimensions: [2], elements: [0, 1]), named: "labels")

        let error = #expect(throws: IDXError.self) {
            try LabeledImageSet.load(imagesAt: imagesURL, labelsAt: labelsURL, classNames: classNames)
        }

        #expect(error == .countMismatch(imagesPath: imagesURL.path, imageCount: 3, labelsPath: labelsURL.path, labelCount: 2))
        let message = try #require(error?.description)
        #expect(message.contains(imagesURL.path))
        #expect(message.contains(labelsURL.path))
    }

    @Test func labelWithoutClassNameIsRejected() throws {
        let directory = try TemporaryDirectory()
        let imagesURL = try directory.write(idxBytes(dimensions: [2, 1, 1], elements: [0, 0]), named: "images")
        let labelsURL = try directory.write(idxBytes(dimensions: [2], elements: [1, 3]), named: "labels")

        let error = #expect(throws: IDXError.self) {
            try LabeledImageSet.load(imagesAt: imagesURL, labelsAt: labelsURL, classNames: classNames)
        }

        #expect(error == .labelOutOfRange(path: labelsURL.path, index: 1, label: 3, classCount: 3))
    }

    @Test func imagesFileOfWrongRankIsRejected() throws {
        let directory = try TemporaryDirectory()
        let imagesURL = try directory.write(idxBytes(dimensions: [2, 4], elements: countingBytes(8)), named: "images")
        let labelsURL = try directory.write(idxBytes(dimensions: [2], elements: [0, 1]), named: "labels")

        let error = #expect(throws: IDXError.self) {
            try LabeledImageSet.load(imagesAt: imagesURL, labelsAt: labelsURL, classNames: classNames)
        }

        #expect(error == .unexpectedRank(path: imagesURL.path, expected: 3, dimensions: [2, 4]))
    }
}
