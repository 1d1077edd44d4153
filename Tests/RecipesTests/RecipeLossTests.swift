import Testing
@testable import Recipes

/// The `loss` section's objective keys: binary cross-entropy, its target threshold, and distillation.
@Suite struct RecipeLossTests {
    @Test func defaultsAreSoftmaxCrossEntropyWithoutATeacher() throws {
        let loss = try parse("").loss
        #expect(loss.name == .ce)
        #expect(loss.labelSmoothing == 0)
        #expect(loss.bceTargetThreshold == nil)
        #expect(loss.distillationTeacher == nil)
        #expect(loss.distillationAlpha == 0.5)
        #expect(loss.distillationTemperature == 1)
        #expect(Recipe.Loss.Name.allCases.map(\.rawValue) == ["ce", "bce"])
    }

    @Test func fileValuesAreRead() throws {
        let loss = try parse("""
            loss:
              name: bce
              label_smoothing: 0.1
              bce_target_threshold: 0.2
              distillation_teacher: runs/teacher
              distillation_alpha: 0.7
              distillation_temperature: 4
            """).loss
        #expect(loss == Recipe.Loss(name: .bce, labelSmoothing: 0.1, bceTargetThreshold: 0.2,
                                    distillationTeacher: "runs/teacher", distillationAlpha: 0.7,
                                    distillationTemperature: 4))
    }

    @Test func nullTurnsTheThresholdAndTheTeacherOff() throws {
        let loss = try parse("loss:\n  bce_target_threshold: null\n  distillation_teacher: ~\n",
                             overrides: []).loss
        #expect(loss.bceTargetThreshold == nil && loss.distillationTeacher == nil)
        let overridden = try parse("loss:\n  bce_target_threshold: 0.3\n",
                                   overrides: ["loss.bce_target_threshold=null"]).loss
        #expect(overridden.bceTargetThreshold == nil)
    }

    @Test func everyLossKeyRoundTripsThroughResolvedYAML() throws {
        var recipe = Recipe()
        recipe.loss = Recipe.Loss(name: .bce, labelSmoothing: 0.05, bceTargetThreshold: 0.125,
                                  distillationTeacher: "/runs/teacher: #1", distillationAlpha: 1,
                                  distillationTemperature: 2.5)
        let yaml = recipe.resolvedYAML()
        #expect(yaml.contains("bce_target_threshold: 0.125"))
        #expect(try parse(yaml) == recipe)
    }

    @Test func eachLossKeyChangesTheFingerprint() throws {
        var seen: Set<String> = [Recipe().fingerprint]
        for override in ["loss.name=bce", "loss.bce_target_threshold=0.2", "loss.distillation_teacher=runs/t",
                         "loss.distillation_alpha=0.9", "loss.distillation_temperature=3"] {
            let fingerprint = try parse("", overrides: [override]).fingerprint
            #expect(!seen.contains(fingerprint), "\(override) did not change the fingerprint")
            seen.insert(fingerprint)
        }
    }

    @Test func badValuesNameTheKeyAndWhatIsValid() throws {
        let cases: [(yaml: String, message: String)] = [
            ("loss:\n  name: focal\n", "loss.name: 'focal' is not a valid choice; expected one of ce, bce"),
            ("loss:\n  bce_target_threshold: 1.5\n",
             "loss.bce_target_threshold: expected a number >= 0 and <= 1, or null, found '1.5'"),
            ("loss:\n  bce_target_threshold: high\n", "loss.bce_target_threshold: expected a number >= 0 and <= 1"),
            ("loss:\n  distillation_alpha: -0.1\n",
             "loss.distillation_alpha: expected a number >= 0 and <= 1, found '-0.1'"),
            ("loss:\n  distillation_temperature: 0\n",
             "loss.distillation_temperature: expected a number > 0, found '0'"),
            ("loss:\n  distillation_teacher: [a, b]\n", "loss.distillation_teacher: expected"),
        ]
        for (yaml, message) in cases {
            let error = try #require(parseError(yaml), "\(yaml) should not load")
            #expect(error.description.contains(message), "\(error)")
            #expect(error.line == 2, "\(error)")
        }
    }

    @Test func misspelledLossKeySuggestsTheRealOne() throws {
        let error = try #require(parseError("loss:\n  distillation_temprature: 2\n"))
        #expect(error.keyPath == "loss.distillation_temprature")
        #expect(error.description.contains("distillation_temperature"), "\(error)")
    }
}
