@testable import DataPipeline
import Testing

/// The grey conversion against PIL 9.4 (tolerance 0) and the random grayscale decision.
struct RandomGrayscaleTests {
    @Test func grayscaleMatchesPILsLumaWithOneOrThreeChannels() throws {
        let fixture = try TransformFixture.load()
        let cases = fixture.cases("greyscale")
        #expect(cases.count == 4)
        for testCase in cases {
            let grey = try fixture.source(of: testCase).grayscaled(channels: try testCase.integer("channels"))
            let difference = ImageDifference(grey, try fixture.expected(testCase))
            #expect(difference.isExact, "\(testCase.name): \(difference)")
        }
    }

    @Test func lumaRoundsInsteadOfTruncatingAsPillowNine() {
        // (1, 1, 0) has luma 0.886: Pillow 9 rounds it to 1 where the older `/ 1000` truncated it to 0.
        #expect(ByteImage.luma(red: 1, green: 1, blue: 0) == 1)
        #expect(ByteImage.luma(red: 255, green: 0, blue: 0) == 76)
        #expect(ByteImage.luma(red: 255, green: 255, blue: 255) == 255)
        #expect(ByteImage.luma(red: 0, green: 0, blue: 0) == 0)
    }

    @Test func aboutTheRequestedShareOfImagesTurnsGreyAndChannelsAreKept() throws {
        let grayscale = RandomGrayscale(probability: 0.2)
        let grey = (0..<10_000).filter { grayscale.applies(seed: 7, epoch: 1, index: $0) }.count
        #expect(grey > 1850 && grey < 2150)
        let image = ByteImage(width: 2, height: 1, channels: 3, pixels: [10, 200, 30, 90, 90, 250])
        let index = try #require((0..<100).first { grayscale.applies(seed: 7, epoch: 1, index: $0) })
        let turned = grayscale.apply(to: image, seed: 7, epoch: 1, index: index)
        #expect(turned.channels == 3 && turned.pixels[0] == turned.pixels[1] && turned.pixels[1] == turned.pixels[2])
        #expect(turned != image)
        #expect((0..<1000).allSatisfy { !RandomGrayscale(probability: 0).applies(seed: 7, epoch: 1, index: $0) })
    }
}
