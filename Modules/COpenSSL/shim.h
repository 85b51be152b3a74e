#ifndef AIPLAT_COPENSSL_SHIM_H
#define AIPLAT_COPENSSL_SHIM_H
// Keystore V3 needs scrypt, PBKDF2-HMAC-SHA256 and AES-128-CTR; the system libcrypto has all three.
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#endif
