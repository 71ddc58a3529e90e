#include "account/id_token.hpp"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "account/oidc_options.hpp"

namespace mockloop::account {
namespace {

using Json = nlohmann::json;

Error refuse(const std::string& why) { return make_error(Errc::unauthenticated, "id token refused: " + why); }

// JOSE ES256 signatures are r || s (32 bytes each); OpenSSL verifies DER.
Result<std::string> ecdsa_der(const std::string& raw) {
  if (raw.size() != 64) return refuse("an ES256 signature is 64 bytes");
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(p, 32, nullptr);
  BIGNUM* s = BN_bin2bn(p + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return make_error(Errc::internal, "ECDSA_SIG");
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return make_error(Errc::internal, "i2d_ECDSA_SIG");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

bool verify_sha256(EVP_PKEY* key, std::string_view data, const std::string& sig) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

Result<Json> json_part(std::string_view b64, const char* what) {
  auto raw = base64url_decode(b64);
  if (!raw) return refuse(std::string(what) + " is not base64url");
  Json j = Json::parse(*raw, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return refuse(std::string(what) + " is not a JSON object");
  return j;
}

std::string str(const Json& o, const char* k) {
  auto it = o.find(k);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<int64_t> seconds(const Json& o, const char* k) {
  auto it = o.find(k);
  if (it == o.end() || !it->is_number()) return refuse(std::string("no numeric ") + k + " claim");
  return static_cast<int64_t>(it->get<double>());
}

Result<void> check_audience(const Json& claims, const std::string& client_id) {
  auto it = claims.find("aud");
  if (it == claims.end()) return refuse("no aud claim");
  if (it->is_string()) {
    if (it->get<std::string>() != client_id) return refuse("aud is not this server's client id");
    return {};
  }
  if (!it->is_array() || it->empty()) return refuse("aud is neither a string nor a list");
  bool found = false;
  for (const auto& a : *it)
    if (a.is_string() && a.get<std::string>() == client_id) found = true;
  if (!found) return refuse("aud does not name this server's client id");
  if (it->size() > 1 && str(claims, "azp") != client_id) return refuse("several audiences and azp is not this server");
  return {};
}

}  // namespace

Result<IdTokenClaims> verify_id_token(std::string_view token, const std::vector<Jwk>& keys, const IdTokenCheck& check,
                                      bool* no_key) {
  if (no_key) *no_key = false;
  if (token.empty() || token.size() > kMaxIdTokenBytes) return refuse("missing or longer than 16 KiB");
  const size_t d1 = token.find('.');
  const size_t d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    return refuse("not a compact JWS (three parts)");
  auto header = json_part(token.substr(0, d1), "the header");
  if (!header) return header.error();
  const std::string alg = str(*header, "alg");
  if (alg != "RS256" && alg != "ES256") return refuse("algorithm \"" + alg.substr(0, 20) + "\" is not RS256 or ES256");
  if (header->contains("crit")) return refuse("critical header parameters are not supported");
  const std::string kid = str(*header, "kid");
  const std::string kty = alg == "RS256" ? "RSA" : "EC";
  auto sig = base64url_decode(token.substr(d2 + 1));
  if (!sig) return refuse("the signature is not base64url");
  if (alg == "ES256") {
    auto der = ecdsa_der(*sig);
    if (!der) return der.error();
    *sig = std::move(*der);
  }
  const std::string_view signing_input = token.substr(0, d2);
  bool tried = false, verified = false;
  for (const auto& k : keys) {
    if (k.kty != kty || (!k.alg.empty() && k.alg != alg)) continue;
    if (!kid.empty() && k.kid != kid) continue;
    tried = true;
    if (verify_sha256(k.key.get(), signing_input, *sig)) {
      verified = true;
      break;
    }
  }
  if (!tried) {
    if (no_key) *no_key = true;
    return refuse("no key of the provider fits (kid \"" + kid.substr(0, 64) + "\", " + alg + ")");
  }
  if (!verified) return refuse("the signature does not verify with the provider's key");

  auto claims = json_part(token.substr(d1 + 1, d2 - d1 - 1), "the payload");
  if (!claims) return claims.error();
  if (str(*claims, "iss") != check.issuer) return refuse("iss is not the configured issuer");
  if (auto r = check_audience(*claims, check.client_id); !r) return r.error();
  auto exp = seconds(*claims, "exp");
  if (!exp) return exp.error();
  if (*exp + check.skew_s < check.now_s) return refuse("expired");
  auto iat = seconds(*claims, "iat");
  if (!iat) return iat.error();
  if (*iat > check.now_s + check.skew_s) return refuse("issued in the future");
  if (*iat < check.now_s - check.max_age_s - check.skew_s) return refuse("issued too long ago");
  if (check.nonce.empty() || str(*claims, "nonce") != check.nonce) return refuse("the nonce is not this sign-in's");
  IdTokenClaims out;
  out.subject = str(*claims, "sub");
  if (out.subject.empty() || out.subject.size() > 255) return refuse("sub is missing or longer than 255 bytes");
  out.email = str(*claims, "email");
  if (auto it = claims->find("email_verified"); it != claims->end() && it->is_boolean()) out.email_verified = it->get<bool>();
  out.name = str(*claims, "name");
  if (out.name.empty()) out.name = str(*claims, "preferred_username");
  return out;
}

}  // namespace mockloop::account
