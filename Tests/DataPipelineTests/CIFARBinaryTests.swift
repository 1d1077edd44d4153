import DataPipeline
import Foundation
import Testing

/// CIFAR-10 and CIFAR-100 binary batches built byte by byte: plane-to-HWC conversion, label choice, names, and bad files.
struct CIFARBinaryTests {
    /// The pixel byte a synthetic record stores for `channel` at (`row`, `column`), different for every record, channel and position.
    func pixel(record: Int, channel: Int, row: Int, column: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: record * 101 + channel * 67 + row * 7 + column * 3)
    }

    /// One record in the release's layout: label bytes, then the red, green and blue 32×32 planes.
    func record(_ record: Int, labels: [UInt8]) -> [UInt8] {
        var bytes = labels
        for channel in 0..<3 {
            for row in 0..<32 {
                for column in 0..<32 {
                    bytes.append(pixel(record: record, channel: channel, row: row, column: column))
                }
            }
        }
        return bytes
    }

    @Test func cifar10RecordsBecomeHWCImagesAcrossBatchFiles() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write(record(0, labels: [7]) + record(1, labels: [0]), named: "data_batch_1.bin")
        let second = try directory.write(record(2, labels: [9]), named: "data_batch_2.bin")

        let set = try CIFARBinary.read(batchFiles: [first, second], labelSet: .cifar10, classNames: CIFARBinary.cifar10ClassNames)

        #expect(set.count == 3)
        #expect((set.height, set.width, set.channels) == (32, 32, 3))
        #expect(set.labels == [7, 0, 9])
        for index in 0..<3 {
            let image = ByteImage(width: 32, height: 32, channels: 3, pixels: Array(set.image(at: index)))
            for (row, column) in [(0, 0), (0, 31), (5, 17), (31, 0), (31, 31)] {
                for channel in 0..<3 {
                    #expect(image[row, column, channel] == pixel(record: index, channel: channel, row: row, column: column))
                }
            }
        }
    }

    @Test func cifar100KeepsTheChosenLabelByte() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(record(0, labels: [19, 99]) + record(1, labels: [4, 30]), named: "train.bin")

        let fine = try CIFARBinary.read(batchFiles: [file], labelSet: .cifar100Fine, classNames: (0..<100).map(String.init))
        let coarse = try CIFARBinary.read(batchFiles: [file], labelSet: .cifar100Coarse, classNames: (0..<20).map(String.init))

        #expect(fine.labels == [99, 30])
        #expect(coarse.labels == [19, 4])
        #expect(fine.pixels == coarse.pixels)
        #expect(fine.image(at: 1).first == pixel(record: 1, channel: 0, row: 0, column: 0))
        #expect(Array(fine.image(at: 1).prefix(3)) == (0..<3).map { pixel(record: 1, channel: $0, row: 0, column: 0) })
    }

    @Test func loadReadsTheReleaseLayoutAndItsNamesFile() throws {
        let directory = try TemporaryDirectory()
        for batch in 1...5 {
            try directory.write(record(batch, labels: [UInt8(batch)]), named: "data_batch_\(batch).bin")
        }
        try directory.write(record(0, labels: [3]), named: "test_batch.bin")
        let names = (0..<10).map { "class\($0)" }
        try directory.writeText(names.joined(separator: "\n") + "\n\n", to: "batches.meta.txt")
        try directory.write(record(0, labels: [2, 50]), named: "test.bin")

        let train = try CIFARBinary.load(split: .train, directory: directory.url, labelSet: .cifar10)
        let test = try CIFARBinary.load(split: .test, directory: directory.url, labelSet: .cifar10)
        let cifar100 = try CIFARBinary.load(split: .test, directory: directory.url, labelSet: .cifar100Fine)

        #expect(train.labels == [1, 2, 3, 4, 5])
        #expect(train.classNames == names)
        #expect(test.labels == [3])
        #expect(cifar100.labels == [50])
        #expect(cifar100.classNames == (0..<100).map(String.init))
    }

    @Test func truncatedFileNamesTheRecordAndByteOffset() throws {
        let directory = try TemporaryDirectory()
        let bytes = record(0, labels: [1]) + record(1, labels: [2]) + Array(record(2, labels: [3]).prefix(1000))
        let file = try directory.write(bytes, named: "data_batch_1.bin")

        let error = #expect(throws: CIFARBinaryError.self) {
            try CIFARBinary.read(batchFiles: [file], labelSet: .cifar10, classNames: CIFARBinary.cifar10ClassNames)
        }

        #expect(error == .truncatedRecord(path: file.path, record: 2, offset: 6146, expectedBytes: 3073, foundBytes: 1000))
        #expect(error?.description.contains("byte offset 6146") == true)
        #expect(error?.description.contains(file.path) == true)
    }

    @Test func badFilesAreNamed() throws {
        let directory = try TemporaryDirectory()
        let empty = try directory.write([], named: "empty.bin")
        let badLabel = try directory.write(record(0, labels: [1]) + record(1, labels: [10]), named: "bad.bin")
        let names = try directory.writeText("a\nb\n", to: "batches.meta.txt")
        let absent = directory.url.appendingPathComponent("absent.bin")
        let tenNames = CIFARBinary.cifar10ClassNames

        #expect(throws: CIFARBinaryError.emptyFile(path: empty.path, recordSize: 3073)) {
            try CIFARBinary.read(batchFiles: [empty], labelSet: .cifar10, classNames: tenNames)
        }
        #expect(throws: CIFARBinaryError.labelOutOfRange(path: badLabel.path, record: 1, offset: 3073, label: 10, classCount: 10)) {
            try CIFARBinary.read(batchFiles: [badLabel], labelSet: .cifar10, classNames: tenNames)
        }
        #expect(throws: CIFARBinaryError.classNameCount(path: names.path, expected: 10, found: 2)) {
            try CIFARBinary.readClassNames(contentsOf: names, labelSet: .cifar10)
        }
        #expect(throws: CIFARBinaryError.missingFile(path: absent.path)) {
            try CIFARBinary.read(batchFiles: [absent], labelSet: .cifar10, classNames: tenNames)
        }
    }
}
