#ifndef AIPLAT_COPENSSL_SHIM_H
#define AIPLAT_COPENSSL_SHIM_H
// Keystore V3 needs scrypt, PBKDF2-HMAC-SHA256 and AES-128-CTR; the system libcrypto has all three.
// SHA256_CTX (the low-level API, deprecated in 3.0 but kept) is a plain struct: a streaming hash
// state that can be copied and handed between tasks, which resumable blob uploads need.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/hmac.h>
#endif
