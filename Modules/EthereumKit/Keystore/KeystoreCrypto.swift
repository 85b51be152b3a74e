import COpenSSL

/// The OpenSSL primitives a V3 keystore needs: scrypt, PBKDF2-HMAC-SHA256, AES-128-CTR and random bytes.
enum KeystoreCrypto {
    /// Derives `length` bytes from `password` and `salt` with `kdf` (parameters must already be validated).
    static func deriveKey(password: [UInt8], salt: [UInt8], kdf: KeystoreKDF, length: Int) throws(KeystoreError) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: length)
        let ok: Int32
        switch kdf {
        case .scrypt(let n, let r, let p):
            // OpenSSL's default limit is 32 MiB; allow what these parameters need (validate() capped it) plus slack.
            let maxMemory = UInt64(128 * r * (n + p + 2)) + (16 << 20)
            ok = EVP_PBE_scrypt(
                password, password.count, salt, salt.count, UInt64(n), UInt64(r), UInt64(p), maxMemory, &key, length)
        case .pbkdf2(let iterations):
            ok = PKCS5_PBKDF2_HMAC(
                password, Int32(password.count), salt, Int32(salt.count), Int32(iterations), EVP_sha256(),
                Int32(length), &key)
        }
        guard ok == 1 else { throw .cryptoFailure(operation: kdf.name) }
        return key
    }

    /// AES-128-CTR over `input` (encryption and decryption are the same operation); the IV is a 128-bit big-endian counter.
    static func aes128CTR(key: ArraySlice<UInt8>, iv: [UInt8], input: [UInt8]) throws(KeystoreError) -> [UInt8] {
        guard let context = EVP_CIPHER_CTX_new() else { throw .cryptoFailure(operation: "EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        let key = Array(key)
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var written: Int32 = 0
        var finalWritten: Int32 = 0
        guard EVP_EncryptInit_ex(context, EVP_aes_128_ctr(), nil, key, iv) == 1,
              EVP_EncryptUpdate(context, &output, &written, input, Int32(input.count)) == 1
        else { throw .cryptoFailure(operation: "aes-128-ctr") }
        let finalOK = output.withUnsafeMutableBufferPointer {
            EVP_EncryptFinal_ex(context, $0.baseAddress! + Int(written), &finalWritten)
        }
        guard finalOK == 1 else { throw .cryptoFailure(operation: "aes-128-ctr") }
        return Array(output.prefix(Int(written + finalWritten)))
    }

    /// `count` bytes from OpenSSL's CSPRNG.
    static func randomBytes(_ count: Int) throws(KeystoreError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw .cryptoFailure(operation: "RAND_bytes") }
        return bytes
    }

    /// Equality that takes the same time wherever the first difference is (for MACs).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return CRYPTO_memcmp(a, b, a.count) == 0
    }
}
