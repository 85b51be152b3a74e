import Foundation
import Testing

@testable import PlatformCore

/// docs/configuration.md is generated from the key table and must match it.
/// Regenerate with `AIPLAT_REGENERATE_DOCS=1 swift test --skip-build --filter ConfigurationReferenceTests`
/// (or `aiplat config docs > docs/configuration.md`).
@Suite struct ConfigurationReferenceTests {
    static var documentPath: String { repositoryRoot() + "/docs/configuration.md" }

    @Test func theCommittedConfigurationDocumentMatchesTheKeyTable() throws {
        let generated = PlatformConfiguration.markdownReference()
        if ProcessInfo.processInfo.environment["AIPLAT_REGENERATE_DOCS"] == "1" {
            try writeFile(Self.documentPath, generated)
        }
        let committed = try String(contentsOfFile: Self.documentPath, encoding: .utf8)
        #expect(
            committed == generated,
            "docs/configuration.md is stale: run AIPLAT_REGENERATE_DOCS=1 swift test --skip-build --filter ConfigurationReferenceTests"
        )
    }

    @Test func theReferenceDocumentsEveryKeyWithItsDefaultAndVariable() {
        let document = PlatformConfiguration.markdownReference()
        for key in PlatformConfiguration.keys {
            let row = document.split(separator: "\n").first { $0.hasPrefix("| `\(key.name)` |") }
            #expect(row != nil, "no row for \(key.name)")
            #expect(row?.contains(key.environmentVariable) == true)
            if !key.defaultValue.isEmpty {
                #expect(row?.contains("`\(key.defaultValue)`") == true)
            }
        }
    }
}
