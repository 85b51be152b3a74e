import Hummingbird
import PlatformCore

/// `GET /healthz`: the process is up and serving.
struct HealthRoutes {
    struct Health: ResponseEncodable {
        let status: String
        let version: String
    }

    func register(on router: Router<some RequestContext>) {
        router.get("/healthz") { _, _ in
            Health(status: "ok", version: PlatformVersion.current)
        }
    }
}
