import Testing
import PlatformCore

@Suite struct PlatformVersionTests {
    @Test func versionIsSemantic() {
        #expect(PlatformVersion.current.split(separator: ".").count == 3)
    }
}
