import Testing
import PlatformServer

@Suite struct PlatformServerIdentityTests {
    @Test func serverNameCarriesVersion() {
        #expect(PlatformServerIdentity.serverName.hasPrefix("aiplat/"))
    }
}
