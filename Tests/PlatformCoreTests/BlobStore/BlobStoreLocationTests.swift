import Foundation
import Testing

@testable import PlatformCore

@Suite struct BlobStoreLocationTests {
    let dataDirectory = DataDirectory(path: "/srv/aiplat")

    func configuration(_ flags: [String: String]) throws -> PlatformConfiguration {
        try PlatformConfiguration.load(flags: flags, environment: ["HOME": "/nonexistent-home"])
    }

    @Test func theDefaultIsTheBlobsDirectoryOfTheDataDirectory() throws {
        let location = try BlobStoreLocation(configuration: configuration([:]), dataDirectory: dataDirectory, environment: [:])
        #expect(location == .directory(path: "/srv/aiplat/blobs"))
        let moved = try BlobStoreLocation(
            configuration: configuration(["registry.blob_dir": "/mnt/blobs"]), dataDirectory: dataDirectory, environment: [:])
        #expect(moved == .directory(path: "/mnt/blobs"))
    }

    @Test func s3TakesItsSettingsFromTheKeysAndCredentialsFromTheEnvironment() throws {
        let flags = [
            "registry.storage": "s3", "registry.s3.bucket": "models", "registry.s3.region": "eu-central-1",
            "registry.s3.prefix": "aiplat/", "registry.s3.addressing": "virtual",
        ]
        let location = try BlobStoreLocation(
            configuration: configuration(flags), dataDirectory: dataDirectory,
            environment: ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET"])
        guard case .s3(let s3) = location else {
            Issue.record("expected s3, got \(location)")
            return
        }
        #expect(s3.endpoint == "https://s3.eu-central-1.amazonaws.com")
        #expect(s3.bucket == "models" && s3.keyPrefix == "aiplat/" && !s3.pathStyle)
        #expect(s3.accessKeyID == "AKID" && s3.secretAccessKey == "SECRET")
        #expect(s3.partSize == 8 << 20)
        #expect(!location.description.contains("SECRET"))
    }

    @Test func s3WithoutABucketOrCredentialsIsAOneLineConfigurationError() throws {
        #expect(throws: ConfigurationError.self) {
            try BlobStoreLocation(
                configuration: configuration(["registry.storage": "s3"]), dataDirectory: dataDirectory,
                environment: ["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])
        }
        do {
            _ = try BlobStoreLocation(
                configuration: configuration(["registry.storage": "s3", "registry.s3.bucket": "m"]), dataDirectory: dataDirectory,
                environment: [:])
            Issue.record("expected an error without credentials")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("AWS_ACCESS_KEY_ID"))
            #expect(!error.description.contains("\n"))
        }
    }
}
