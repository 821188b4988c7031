#pragma once
// A throwaway PKI for tests and the simulator's HTTPS: a CA and a server certificate it
// signs, made in memory with OpenSSL at run time (nothing is committed).

#include <chrono>
#include <string>
#include <vector>

namespace voxo::util {

struct pem_bundle {
  std::string ca_cert;  // trust this (api.ca_file) ...
  std::string cert;     // ... to accept this server certificate
  std::string key;      // the server's private key
};

// `hosts` go into subjectAltName: IPv4/IPv6 literals as IP entries, the rest as DNS names.
pem_bundle make_self_signed_pki(const std::vector<std::string>& hosts,
                                std::chrono::hours validity = std::chrono::hours{24 * 30});

}  // namespace voxo::util
