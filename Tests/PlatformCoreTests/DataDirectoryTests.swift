import Foundation
import Testing

@testable import PlatformCore

@Suite struct DataDirectoryTests {
    static func permissions(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    @Test func createMakesTheWholeLayoutWithOwnerOnlyPermissions() async throws {
        try await withTemporaryDirectory { base in
            let directory = try DataDirectory(path: "\(base)/nested/aiplat").create()
            for path in [directory.root, directory.blobs, directory.keystore, directory.logs, directory.run, directory.tmp] {
                var isDirectory: ObjCBool = false
                #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
                #expect(try Self.permissions(path) == 0o700, "\(path)")
            }
            #expect(directory.databaseFile == "\(base)/nested/aiplat/aiplat.sqlite")
            #expect(directory.configFile == "\(base)/nested/aiplat/config.json")
            #expect(directory.pidFile(for: "devchain") == "\(base)/nested/aiplat/run/devchain.pid")
        }
    }

    @Test func createIsIdempotentAndKeepsExistingFiles() async throws {
        try await withTemporaryDirectory { base in
            let directory = try DataDirectory(path: base + "/d").create()
            try writeFile(directory.keystore + "/key.json", "{}")
            try directory.create()
            #expect(FileManager.default.fileExists(atPath: directory.keystore + "/key.json"))
            // The write probe leaves nothing behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.tmp).isEmpty)
        }
    }

    @Test(arguments: [("~", "/home/u"), ("~/.aiplat", "/home/u/.aiplat"), ("~/a/../b", "/home/u/b"), ("/abs/x/", "/abs/x")])
    func tildeExpandsToTheHomeDirectory(path: String, expected: String) {
        #expect(DataDirectory(path: path, homeDirectory: "/home/u").root == expected)
    }

    @Test func aRelativePathIsTakenFromTheCurrentDirectory() {
        let root = DataDirectory(path: "data", homeDirectory: "/home/u").root
        #expect(root.hasPrefix("/") && root.hasSuffix("/data"))
    }

    @Test func aFileWhereTheRootShouldBeIsAClearError() async throws {
        try await withTemporaryDirectory { base in
            try writeFile(base + "/occupied", "x")
            #expect {
                try DataDirectory(path: base + "/occupied").create()
            } throws: { error in
                let error = error as? DataDirectoryError
                return error?.code == .notADirectory && error?.description.contains(base + "/occupied") == true
            }
        }
    }

    @Test func aRootBelowAFileCannotBeCreatedAndTheErrorNamesIt() async throws {
        try await withTemporaryDirectory { base in
            try writeFile(base + "/file", "x")
            #expect {
                try DataDirectory(path: base + "/file/aiplat").create()
            } throws: { error in
                let error = error as? DataDirectoryError
                return error?.code == .cannotCreate && error?.description.contains(base + "/file/aiplat") == true
                    && error?.description.contains("--data-dir") == true && error?.description.contains("\n") == false
            }
        }
    }

    // Root ignores permission bits, so this can only be observed as a normal user.
    @Test(.enabled(if: getuid() != 0, "root can write into read-only directories"))
    func aReadOnlyDataDirectoryIsReportedAsNotWritable() async throws {
        try await withTemporaryDirectory { base in
            let directory = try DataDirectory(path: base + "/ro").create()
            for path in directory.directories {
                try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: path)
            }
            defer {
                for path in directory.directories {
                    try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
                }
            }
            #expect {
                try directory.create()
            } throws: { error in
                (error as? DataDirectoryError)?.code == .notWritable
            }
        }
    }
}
