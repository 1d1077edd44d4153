import TensorCore
import Testing
import TestSupport

/// `Tolerance`'s closeness rule and the failure reports of `expectClose`.
struct ToleranceTests {
    @Test func acceptsWithinAbsolutePlusRelativeBound() {
        let tolerance = Tolerance(relative: 0.1, absolute: 0.01)
        #expect(tolerance.accepts(10.9, expected: 10))
        #expect(!tolerance.accepts(11.02, expected: 10))
        #expect(tolerance.accepts(0.009, expected: 0))
        #expect(tolerance.accepts(.infinity, expected: .infinity))
        #expect(tolerance.accepts(.nan, expected: .nan))
        #expect(!tolerance.accepts(.nan, expected: 1))
        #expect(!tolerance.accepts(.infinity, expected: 1))
    }

    @Test func worstViolationNamesTheFurthestElement() throws {
        let tolerance = Tolerance(absolute: 0.1)
        let violation = try #require(tolerance.worstViolation(actual: [1, 2.5, 3, 4.2], expected: [1, 2, 3, 4]))
        #expect(violation.index == 1)
        #expect(violation.failingCount == 2)
        #expect(violation.totalCount == 4)
        #expect(violation.description.contains("worst at index 1"))
        #expect(tolerance.worstViolation(actual: [1, 2.05], expected: [1, 2]) == nil)
        #expect(tolerance.worstViolation(actual: [1], expected: [1, 2])?.index == -1)
    }

    @Test func expectCloseRecordsOneIssueForAMismatch() {
        withKnownIssue {
            expectClose([Float(1), 3], [1, 2], tolerance: .float32)
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("worst at index 1") }
        }
        withKnownIssue {
            expectClose(ReferenceTensor(zeros: [2, 2]), ReferenceTensor(zeros: [4]), tolerance: .float64)
        }
        withKnownIssue {
            expectClose([0, 1, 2], [2: 2.5], tolerance: .float64)
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("worst at index 2") }
        }
    }

    @Test func expectClosePassesAFloat32TensorAgainstItsReference() {
        let reference = ReferenceTensor.normal(shape: [2, 3], seed: 5)
        #expect(expectClose(reference.tensor(), reference, tolerance: .float32))
        #expect(expectClose(reference.tensor(dtype: .bfloat16), reference, tolerance: .bfloat16))
    }
}
