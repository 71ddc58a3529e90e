#include "account/oidc_client.hpp"

#include <openssl/sha.h>
#include <sodium.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "account/http_fetch.hpp"
#include "account/password.hpp"

namespace mockloop::account {
namespace {

using Json = nlohmann::json;

std::string b64url(const unsigned char* data, size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

std::string pkce_challenge(const std::string& verifier) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), d);
  return b64url(d, sizeof d);
}

std::string str(const Json& o, const char* k) {
  auto it = o.find(k);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Error unusable(const std::string& why) { return make_error(Errc::busy, "the sign-in provider is unusable: " + why); }

Result<Json> json_answer(const Result<HttpAnswer>& a, const char* what) {
  if (!a) return a.error();
  Json j = Json::parse(a->body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return unusable(std::string(what) + " is not a JSON object");
  return j;
}

}  // namespace

OidcClient::OidcClient(OidcOptions options, NowMs now_ms) : options_(std::move(options)), now_ms_(std::move(now_ms)) {
  if (!now_ms_) {
    now_ms_ = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
}

std::string OidcClient::display_name() const {
  if (!options_.name.empty()) return options_.name;
  std::string_view host = options_.issuer;
  if (auto p = host.find("://"); p != std::string_view::npos) host.remove_prefix(p + 3);
  if (auto p = host.find('/'); p != std::string_view::npos) host = host.substr(0, p);
  return std::string(host);
}

size_t OidcClient::pending() const {
  std::lock_guard lock(mu_);
  return flows_.size();
}

Result<OidcClient::Discovery> OidcClient::discovery() {
  const int64_t now = now_ms_();
  {
    std::lock_guard lock(mu_);
    if (discovery_ && now - discovery_->fetched_ms < options_.discovery_ttl_ms) return *discovery_;
  }
  std::string url = options_.issuer;
  if (!url.empty() && url.back() == '/') url.pop_back();
  url += "/.well-known/openid-configuration";
  const FetchLimits limits{options_.http_timeout_ms, kMaxOidcResponseBytes};
  auto answer = http_get(url, limits);
  if (answer && answer->status != 200)
    return unusable("discovery answered HTTP " + std::to_string(answer->status));
  auto doc = json_answer(answer, "the discovery document");
  if (!doc) return doc.error();
  // OpenID Connect Discovery 1.0, 4.3: the document's issuer is exactly the configured one.
  if (str(*doc, "issuer") != options_.issuer) return unusable("the discovery document names another issuer");
  Discovery d{str(*doc, "authorization_endpoint"), str(*doc, "token_endpoint"), str(*doc, "jwks_uri"),
              str(*doc, "userinfo_endpoint"), now};
  if (!d.userinfo_endpoint.empty() && (d.userinfo_endpoint.size() > kMaxOidcUrlBytes || !outbound_url_allowed(d.userinfo_endpoint)))
    d.userinfo_endpoint.clear();
  for (const std::string* u : {&d.authorization_endpoint, &d.token_endpoint, &d.jwks_uri})
    if (u->size() > kMaxOidcUrlBytes || !outbound_url_allowed(*u))
      return unusable("an endpoint is missing, too long, or neither https:// nor loopback http://");
  if (auto it = doc->find("code_challenge_methods_supported"); it != doc->end() && it->is_array()) {
    bool s256 = false;
    for (const auto& m : *it) s256 = s256 || (m.is_string() && m.get<std::string>() == "S256");
    if (!s256) return unusable("it does not support PKCE with S256");
  }
  std::lock_guard lock(mu_);
  discovery_ = d;
  return d;
}

Result<std::vector<Jwk>> OidcClient::keys(bool unknown_kid) {
  const int64_t now = now_ms_();
  {
    std::lock_guard lock(mu_);
    const bool fresh = keys_fetched_ms_ >= 0 && now - keys_fetched_ms_ < options_.jwks_ttl_ms;
    const bool may_refetch = keys_fetched_ms_ < 0 || now - keys_fetched_ms_ >= options_.jwks_min_refetch_ms;
    if (fresh && !(unknown_kid && may_refetch)) return keys_;
    if (!fresh && !may_refetch) return keys_;  // (only when the TTL is below the refetch interval)
  }
  auto d = discovery();
  if (!d) return d.error();
  auto answer = http_get(d->jwks_uri, FetchLimits{options_.http_timeout_ms, kMaxOidcResponseBytes});
  if (answer && answer->status != 200) return unusable("the JWKS answered HTTP " + std::to_string(answer->status));
  if (!answer) return answer.error();
  auto parsed = parse_jwks(answer->body);
  if (!parsed) return unusable(parsed.error().message);
  std::lock_guard lock(mu_);
  keys_ = std::move(*parsed);
  keys_fetched_ms_ = now;
  return keys_;
}

Result<OidcClient::Started> OidcClient::begin(const std::string& redirect_url, Context ctx) {
  if (redirect_url.size() > kMaxOidcUrlBytes) return make_error(Errc::invalid_argument, "redirect URL too long");
  auto d = discovery();
  if (!d) return d.error();
  Flow flow;
  flow.state = random_secret(24);
  flow.nonce = random_secret(24);
  flow.verifier = random_secret(32);  // 43 characters (RFC 7636: 43 to 128)
  flow.redirect_url = redirect_url;
  flow.ctx = std::move(ctx);
  flow.created_ms = now_ms_();
  Started out;
  out.flow_id = random_secret(32);
  std::string url = d->authorization_endpoint;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "response_type=code&client_id=" + form_escape(options_.client_id) +
         "&redirect_uri=" + form_escape(redirect_url) + "&scope=" + form_escape(options_.scopes) +
         "&state=" + form_escape(flow.state) + "&nonce=" + form_escape(flow.nonce) +
         "&code_challenge=" + pkce_challenge(flow.verifier) + "&code_challenge_method=S256";
  out.authorize_url = std::move(url);
  std::lock_guard lock(mu_);
  for (auto it = flows_.begin(); it != flows_.end();) {
    if (flow.created_ms - it->second.created_ms >= options_.flow_ttl_ms) it = flows_.erase(it);
    else ++it;
  }
  while (flows_.size() >= kMaxPendingSignIns) {
    auto oldest = flows_.begin();
    for (auto it = flows_.begin(); it != flows_.end(); ++it)
      if (it->second.created_ms < oldest->second.created_ms) oldest = it;
    flows_.erase(oldest);
  }
  flows_.emplace(out.flow_id, std::move(flow));
  return out;
}

Result<OidcClient::Tokens> OidcClient::exchange(const Discovery& d, const Flow& flow, std::string_view code) {
  std::string form = "grant_type=authorization_code&code=" + form_escape(code) +
                     "&redirect_uri=" + form_escape(flow.redirect_url) + "&code_verifier=" + form_escape(flow.verifier);
  std::vector<std::string> headers;
  if (options_.client_secret.empty()) {
    form += "&client_id=" + form_escape(options_.client_id);
  } else {  // client_secret_basic (RFC 6749 2.3.1: each part form-encoded first)
    const std::string pair = form_escape(options_.client_id) + ":" + form_escape(options_.client_secret);
    std::string b64(sodium_base64_ENCODED_LEN(pair.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(pair.data()), pair.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    b64.resize(b64.find('\0'));
    headers.push_back("Authorization: Basic " + b64);
  }
  auto answer = http_post_form(d.token_endpoint, form, headers, FetchLimits{options_.http_timeout_ms, kMaxOidcResponseBytes});
  if (!answer) return answer.error();
  Json j = Json::parse(answer->body, nullptr, false);
  if (answer->status != 200) {
    std::string err = j.is_object() ? str(j, "error") : std::string();
    if (answer->status >= 500 || err.empty())
      return unusable("the token endpoint answered HTTP " + std::to_string(answer->status));
    return make_error(Errc::unauthenticated, "the provider refused the sign-in code (" + err.substr(0, 64) + ")");
  }
  if (j.is_discarded() || !j.is_object()) return unusable("the token answer is not a JSON object");
  Tokens out{str(j, "id_token"), str(j, "access_token")};
  if (out.id_token.empty()) return make_error(Errc::unauthenticated, "the provider sent no id token");
  return out;
}

Result<void> OidcClient::add_userinfo(const Discovery& d, const std::string& access_token, IdTokenClaims& claims) {
  if (d.userinfo_endpoint.empty() || access_token.empty() || access_token.size() > kMaxOidcParamBytes) return {};
  auto answer = http_get_bearer(d.userinfo_endpoint, access_token, FetchLimits{options_.http_timeout_ms, kMaxOidcResponseBytes});
  if (answer && answer->status != 200) return unusable("UserInfo answered HTTP " + std::to_string(answer->status));
  auto info = json_answer(answer, "the UserInfo answer");
  if (!info) return info.error();
  // OpenID Connect Core 5.3.2: the UserInfo sub must be the id token's, else it is not used.
  if (str(*info, "sub") != claims.subject) return make_error(Errc::unauthenticated, "UserInfo names another subject");
  if (claims.email.empty()) {
    claims.email = str(*info, "email");
    auto it = info->find("email_verified");
    claims.email_verified = it != info->end() && it->is_boolean() && it->get<bool>();
  }
  if (claims.name.empty()) claims.name = str(*info, "name");
  if (claims.name.empty()) claims.name = str(*info, "preferred_username");
  return {};
}

Result<OidcClient::Finished> OidcClient::finish(std::string_view flow_id, std::string_view state,
                                                std::string_view code) {
  if (code.empty() || code.size() > kMaxOidcParamBytes || state.size() > kMaxOidcParamBytes)
    return make_error(Errc::invalid_argument, "code and state: 1 to " + std::to_string(kMaxOidcParamBytes) + " bytes");
  Flow flow;
  {
    std::lock_guard lock(mu_);
    auto it = flows_.find(flow_id);
    if (flow_id.empty() || it == flows_.end())
      return make_error(Errc::unauthenticated, "this sign-in was not started in this browser, or it expired; start again");
    flow = std::move(it->second);
    flows_.erase(it);  // one try per flow
  }
  if (now_ms_() - flow.created_ms >= options_.flow_ttl_ms)
    return make_error(Errc::unauthenticated, "this sign-in took too long; start again");
  if (state.size() != flow.state.size() || sodium_memcmp(state.data(), flow.state.data(), state.size()) != 0)
    return make_error(Errc::unauthenticated, "the sign-in's state does not match this browser's");
  auto d = discovery();
  if (!d) return d.error();
  auto token = exchange(*d, flow, code);
  if (!token) return token.error();
  IdTokenCheck check{options_.issuer, options_.client_id, flow.nonce, now_ms_() / 1000, options_.clock_skew_s,
                     options_.max_id_token_age_s};
  auto ks = keys(false);
  if (!ks) return ks.error();
  bool no_key = false;
  auto claims = verify_id_token(token->id_token, *ks, check, &no_key);
  if (!claims && no_key) {  // the provider may have rotated its keys
    ks = keys(true);
    if (!ks) return ks.error();
    claims = verify_id_token(token->id_token, *ks, check, &no_key);
  }
  if (!claims) return claims.error();
  if (claims->email.empty() || claims->name.empty())
    if (auto r = add_userinfo(*d, token->access_token, *claims); !r) return r.error();
  return Finished{std::move(*claims), std::move(flow.ctx)};
}

}  // namespace mockloop::account
