import Foundation
import Testing

@testable import PlatformCore

/// Checked against the worked examples of the Amazon S3 documentation ("Signature Calculations for
/// the Authorization Header", examplebucket, 2013-05-24): published signatures, not our own output.
@Suite struct SigV4SignerTests {
    let signer = SigV4Signer(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
    let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    @Test func getObjectWithARangeMatchesTheDocumentedSignature() {
        let headers = signer.sign(
            method: "GET", path: "/test.txt", query: [],
            headers: ["Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9"],
            payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(headers["x-amz-date"] == "20130524T000000Z")
        #expect(
            headers["Authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
    }

    @Test func getBucketLifecycleMatchesTheDocumentedSignature() {
        let headers = signer.sign(
            method: "GET", path: "/", query: [("lifecycle", "")], headers: ["Host": "examplebucket.s3.amazonaws.com"],
            payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(headers["Authorization"]?.hasSuffix("Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543") == true)
    }

    @Test func listObjectsMatchesTheDocumentedSignature() {
        let headers = signer.sign(
            method: "GET", path: "/", query: [("max-keys", "2"), ("prefix", "J")], headers: ["Host": "examplebucket.s3.amazonaws.com"],
            payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(headers["Authorization"]?.hasSuffix("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7") == true)
    }

    @Test func uriEncodingKeepsOnlyUnreservedCharacters() {
        #expect(SigV4Signer.encode("a b/c~d") == "a%20b%2Fc~d")
        #expect(SigV4Signer.encode("a b/c", keepingSlashes: true) == "a%20b/c")
    }
}
