import Foundation
import Testing
@testable import Recipes

/// `extends:` starts a recipe from another file's recipe; presets also resolve by name.
@Suite struct RecipeExtendsTests {
    /// Writes `files` (name → YAML) into a fresh folder and returns it.
    func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-recipes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return url
    }

    @Test func anExtendingFileKeepsItsBaseAndOverridesOnlyWhatItSays() throws {
        let directory = try folder([
            "base.yaml": "model:\n  name: resnet50\nschedule:\n  epochs: 90\nloss:\n  label_smoothing: 0.1\n",
            "more.yaml": "extends: base\nschedule:\n  epochs: 120\n",
            "most.yaml": "extends: more.yaml\nmodel:\n  name: resnet50d\n",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let recipe = try loader.load(file: directory.appendingPathComponent("most.yaml"), overrides: ["seed=3"])
        #expect(recipe.model.name == "resnet50d")
        #expect(recipe.schedule.epochs == 120)
        #expect(recipe.loss.labelSmoothing == 0.1)
        #expect(recipe.seed == 3)
        #expect(!recipe.resolvedYAML().contains("extends"))
        #expect(try parse(recipe.resolvedYAML()) == recipe)
    }

    @Test func aMissingBaseNamesTheKeyAndTheFile() throws {
        let directory = try folder(["child.yaml": "seed: 1\nextends: nowhere\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect {
            try loader.load(file: directory.appendingPathComponent("child.yaml"), overrides: [])
        } throws: { error in
            let text = "\(error)"
            return text.contains("extends") && text.contains("nowhere.yaml") && text.contains(":2:")
        }
    }

    @Test func aCycleIsAnErrorNotARecursion() throws {
        let directory = try folder(["a.yaml": "extends: b\n", "b.yaml": "extends: a\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect {
            try loader.load(file: directory.appendingPathComponent("a.yaml"), overrides: [])
        } throws: { error in
            "\(error)".contains("a.yaml -> b.yaml -> a.yaml")
        }
    }

    @Test func extendsWithoutAFileIsAnError() {
        let error = parseError("extends: base\n")
        #expect(error?.description.contains("not read from a file") == true)
    }

    @Test func presetsAreFoundByNameBesideTheExecutableOrThroughTheEnvironment() throws {
        let directory = try folder([:])
        defer { try? FileManager.default.removeItem(at: directory) }
        let recipes = directory.appendingPathComponent("recipes")
        let binary = directory.appendingPathComponent(".build/release")
        try FileManager.default.createDirectory(at: recipes, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: binary, withIntermediateDirectories: true)
        try "# Tiny: a test preset.\nseed: 1\n".write(to: recipes.appendingPathComponent("tiny.yaml"),
                                                      atomically: true, encoding: .utf8)
        let found = try #require(PresetLibrary.locate(environment: [:], executable: binary.appendingPathComponent("hone"),
                                                      currentDirectory: directory))
        #expect(found.folder.standardizedFileURL.path == recipes.standardizedFileURL.path)
        #expect(found.names == ["tiny"])
        #expect(found.url(of: "tiny") != nil && found.url(of: "small") == nil)
        #expect(found.summary(of: "tiny") == "Tiny: a test preset.")
        #expect(found.suggestion(for: "tinny") == "tiny")
        let overridden = PresetLibrary.locate(environment: ["HONE_RECIPES": "/elsewhere"], executable: binary,
                                              currentDirectory: directory)
        #expect(overridden?.folder.path == "/elsewhere")
    }
}
