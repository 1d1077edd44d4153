import DataPipeline
import Foundation
import Testing

/// Reading the real Fashion-MNIST files that Debian's `dataset-fashion-mnist` installs.
struct FashionMNISTTests {
    @Test func readsFashionMNISTTrainingSet() throws {
        let set = try FashionMNIST.load(split: .train)

        #expect(set.count == 60_000)
        #expect(set.height == 28)
        #expect(set.width == 28)
        #expect(set.channels == 1)
        #expect(set.pixels.count == 60_000 * 28 * 28)
        #expect(set.labels.allSatisfy { (0..<10).contains($0) })
        #expect(set.countsPerClass() == Array(repeating: 6000, count: 10))
        #expect(set.labels.first == 9)
        #expect(set.classNames[9] == "Ankle boot")
    }

    @Test func readsFashionMNISTTestSet() throws {
        let set = try FashionMNIST.load(split: .test)

        #expect(set.count == 10_000)
        #expect(set.height == 28)
        #expect(set.width == 28)
        #expect(set.labels.count == 10_000)
        #expect(set.countsPerClass() == Array(repeating: 1000, count: 10))
    }

    @Test func firstTrainingImageIsNotBlank() throws {
        let set = try FashionMNIST.load(split: .train)
        let image = set.image(at: 0)

        #expect(image.count == 784)
        #expect(image.contains(0))
        #expect((image.max() ?? 0) > 200)
    }

    @Test func hasTheTenPublishedClassNames() {
        #expect(FashionMNIST.classNames == [
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        ])
    }

    @Test func missingFileNamesThePathAndTheAptPackage() throws {
        let directory = try TemporaryDirectory()
        let expectedPath = directory.url.appendingPathComponent("t10k-images-idx3-ubyte.gz").path

        let error = #expect(throws: IDXError.self) {
            try FashionMNIST.load(split: .test, directory: directory.url)
        }

        let message = try #require(error?.description)
        #expect(message.contains(expectedPath))
        #expect(message.contains("dataset-fashion-mnist"))
        #expect(message.contains("apt-get install dataset-fashion-mnist"))
    }
}
