// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace wsi {

// OpenSSL objects owned by a unique_ptr that frees them with OpenSSL's own function, so no early return of the
// certificate or TLS code leaks one.
template<typename T, void (*Free)(T *)>
struct OpenSslDeleter {
    void operator()(T *object) const { Free(object); }
};

using BioHandle = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
using PkeyHandle = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Handle = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using X509NameHandle = std::unique_ptr<X509_NAME, OpenSslDeleter<X509_NAME, X509_NAME_free>>;
using X509ExtensionHandle = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION, X509_EXTENSION_free>>;
using GeneralNamesHandle = std::unique_ptr<GENERAL_NAMES, OpenSslDeleter<GENERAL_NAMES, GENERAL_NAMES_free>>;
using SslContextHandle = std::unique_ptr<SSL_CTX, OpenSslDeleter<SSL_CTX, SSL_CTX_free>>;
using SslHandle = std::unique_ptr<SSL, OpenSslDeleter<SSL, SSL_free>>;

} // namespace wsi
