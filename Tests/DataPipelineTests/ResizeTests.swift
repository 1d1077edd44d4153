@testable import DataPipeline
import Testing

/// Resizing against PIL 9.4 and torchvision 0.14: every golden case must match byte for byte (tolerance 0).
struct ResizeTests {
    @Test func resizeMatchesPILForEveryFilterSizeAndBox() throws {
        let fixture = try TransformFixture.load()
        let cases = fixture.cases("resize")
        #expect(cases.count == 27)
        for testCase in cases {
            let source = try fixture.source(of: testCase)
            var box: ResizeBox?
            if case .numbers(let edges)? = testCase.params["box"] {
                box = ResizeBox(left: Float(edges[0]), top: Float(edges[1]), right: Float(edges[2]), bottom: Float(edges[3]))
            }
            let resized = source.resized(width: try testCase.integer("width"), height: try testCase.integer("height"),
                                         interpolation: try testCase.interpolation(), box: box)
            let difference = ImageDifference(resized, try fixture.expected(testCase))
            #expect(difference.isExact, "\(testCase.name): \(difference)")
        }
    }

    @Test func shorterSideResizeMatchesTorchvision() throws {
        let fixture = try TransformFixture.load()
        let cases = fixture.cases("resize_shorter")
        #expect(cases.count == 6)
        for testCase in cases {
            let resized = try fixture.source(of: testCase)
                .resized(shorterSide: try testCase.integer("size"), interpolation: try testCase.interpolation())
            let difference = ImageDifference(resized, try fixture.expected(testCase))
            #expect(difference.isExact, "\(testCase.name): \(difference)")
        }
    }

    @Test func shorterSideSizeTruncatesTheLongerSideAsTorchvision() {
        #expect(ByteImage.size(withShorterSide: 224, width: 500, height: 375) == (298, 224))
        #expect(ByteImage.size(withShorterSide: 256, width: 375, height: 500) == (256, 341))
        #expect(ByteImage.size(withShorterSide: 21, width: 25, height: 19) == (27, 21))
        #expect(ByteImage.size(withShorterSide: 10, width: 7, height: 7) == (10, 10))
        #expect(ByteImage.size(withShorterSide: 3, width: 1, height: 1000) == (3, 3000))
    }

    @Test func resizedCropMatchesTorchvision() throws {
        let fixture = try TransformFixture.load()
        let cases = fixture.cases("resized_crop")
        #expect(cases.count == 10)
        for testCase in cases {
            let size = try testCase.numbers("size").map { Int($0) }
            let window = CropWindow(top: try testCase.integer("top"), left: try testCase.integer("left"),
                                    height: try testCase.integer("height"), width: try testCase.integer("width"))
            let cropped = try fixture.source(of: testCase).resizedCrop(window, width: size[1], height: size[0],
                                                                       interpolation: try testCase.interpolation())
            let difference = ImageDifference(cropped, try fixture.expected(testCase))
            #expect(difference.isExact, "\(testCase.name): \(difference)")
        }
    }

    @Test func resizedCropReadsNothingOutsideItsWindowUnlikeABoxResize() throws {
        let source = try #require(try TransformFixture.load().sources["rgb"])
        let window = CropWindow(top: 3, left: 5, height: 14, width: 17)
        var altered = source
        for row in 0..<source.height {
            for column in 0..<source.width where !(3..<17).contains(row) || !(5..<22).contains(column) {
                for channel in 0..<3 { altered[row, column, channel] = 255 &- source[row, column, channel] }
            }
        }
        for interpolation in [Interpolation.bilinear, .bicubic] {
            #expect(altered.resizedCrop(window, width: 9, height: 9, interpolation: interpolation)
                == source.resizedCrop(window, width: 9, height: 9, interpolation: interpolation))
            let box = ResizeBox(left: 5, top: 3, right: 22, bottom: 17)
            #expect(altered.resized(width: 9, height: 9, interpolation: interpolation, box: box)
                != source.resized(width: 9, height: 9, interpolation: interpolation, box: box))
        }
    }

    @Test func sameSizeResizeIsTheIdentityAndAWholePixelBoxOfOutputSizeIsACrop() throws {
        let source = try #require(try TransformFixture.load().sources["rgb"])
        for interpolation in Interpolation.allCases {
            #expect(source.resized(width: source.width, height: source.height, interpolation: interpolation) == source)
            let box = ResizeBox(left: 4, top: 2, right: 14, bottom: 9)
            #expect(source.resized(width: 10, height: 7, interpolation: interpolation, box: box)
                == source.cropped(CropWindow(top: 2, left: 4, height: 7, width: 10)))
        }
    }

    @Test func flipMirrorsEveryRowAsPIL() throws {
        let fixture = try TransformFixture.load()
        let cases = fixture.cases("hflip")
        #expect(cases.count == 2)
        for testCase in cases {
            let source = try fixture.source(of: testCase)
            let difference = ImageDifference(source.horizontallyFlipped(), try fixture.expected(testCase))
            #expect(difference.isExact, "\(testCase.name): \(difference)")
            #expect(source.horizontallyFlipped().horizontallyFlipped() == source)
        }
    }
}
