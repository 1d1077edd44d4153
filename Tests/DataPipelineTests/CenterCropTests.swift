@testable import DataPipeline
import Testing

/// Centre crops and timm's evaluation transform against torchvision 0.14 (tolerance 0: byte for byte).
struct CenterCropTests {
    @Test func centerCropMatchesTorchvisionIncludingPadding() throws {
        let fixture = try TransformFixture.load()
        let cases = fixture.cases("center_crop")
        #expect(cases.count == 10)
        for testCase in cases {
            let cropped = try fixture.source(of: testCase).centerCropped(height: try testCase.integer("height"),
                                                                         width: try testCase.integer("width"))
            let difference = ImageDifference(cropped, try fixture.expected(testCase))
            #expect(difference.isExact, "\(testCase.name): \(difference)")
        }
    }

    @Test func centerCropRoundsHalfToEvenAndPadsTheSmallerHalfBefore() {
        let image = ByteImage(width: 9, height: 8, channels: 1, filledWith: 7)
        // (9 − 6) / 2 = 1.5 rounds to 2; (8 − 3) / 2 = 2.5 rounds to 2; (8 − 1) / 2 = 3.5 rounds to 4.
        #expect(image.centerCropWindow(height: 3, width: 6) == CropWindow(top: 2, left: 2, height: 3, width: 6))
        #expect(image.centerCropWindow(height: 1, width: 9) == CropWindow(top: 4, left: 0, height: 1, width: 9))
        // 3 pixels of padding split 1 before and 2 after.
        #expect(image.centerCropWindow(height: 11, width: 12) == CropWindow(top: -1, left: -1, height: 11, width: 12))
        let padded = image.centerCropped(height: 11, width: 12)
        #expect(padded[0, 5, 0] == 0 && padded[1, 1, 0] == 7 && padded[8, 9, 0] == 7 && padded[9, 9, 0] == 0)
        #expect(padded[5, 10, 0] == 0 && padded[5, 0, 0] == 0)
    }

    @Test func evaluationTransformMatchesTimm() throws {
        let fixture = try TransformFixture.load()
        let cases = fixture.cases("eval")
        #expect(cases.count == 12)
        for testCase in cases {
            let transform = ResizeAndCenterCrop(size: try testCase.integer("size"),
                                                cropFraction: try testCase.number("crop_pct"),
                                                interpolation: try testCase.interpolation())
            let difference = ImageDifference(transform.apply(to: try fixture.source(of: testCase)),
                                             try fixture.expected(testCase))
            #expect(difference.isExact, "\(testCase.name): \(difference)")
        }
    }

    @Test func evaluationResizeSideIsTheFloorOfSizeOverCropFraction() {
        #expect(ResizeAndCenterCrop(size: 224).resizedShorterSide == 256)
        #expect(ResizeAndCenterCrop(size: 224, cropFraction: 0.95).resizedShorterSide == 235)
        #expect(ResizeAndCenterCrop(size: 224, cropFraction: 0.9).resizedShorterSide == 248)
        #expect(ResizeAndCenterCrop(size: 288, cropFraction: 1.0).resizedShorterSide == 288)
    }
}
