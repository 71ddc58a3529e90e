#include "loop/oidc_api.hpp"

#include <cctype>

#include "account/cookie.hpp"
#include "account/http_fetch.hpp"
#include "account/oidc_client.hpp"
#include "common/log.hpp"
#include "loop/api_call.hpp"

namespace mockloop::loop::oidc_api {
namespace {

using Call = ApiRouter::Call;
using api_detail::fail;
using api_detail::json_response;

constexpr size_t kMaxReturnPathBytes = 512;  // ?return= local path

bool secure(const Call& c) { return api_detail::secure_request(c); }

// A local path to go back to: "/..." but not "//..." (another host) and no backslash or
// control characters; anything else is "/".
std::string safe_return(const std::string& p) {
  if (p.empty() || p.size() > kMaxReturnPathBytes || p[0] != '/' || (p.size() > 1 && (p[1] == '/' || p[1] == '\\')))
    return "/";
  for (unsigned char ch : p)
    if (ch < 0x21 || ch == 0x7f || ch == '\\') return "/";
  return p;
}

Result<std::string> redirect_url(const Call& c) {
  if (!c.oidc->options().redirect_url.empty()) return c.oidc->options().redirect_url;
  const std::string origin = api_detail::request_origin(c);
  if (origin.empty()) return make_error(Errc::invalid_argument, "no usable Host header (set --oidc-redirect-url)");
  return origin + "/api/v1/auth/oidc/callback";
}

net::Response redirect(std::string location) {
  net::Response r;
  r.status = 302;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "Redirecting to " + location;
  r.headers.emplace_back("Location", std::move(location));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// A refusal: browsers (Accept: text/html) go back to the sign-in page with the message,
// other clients get the JSON error.
net::Response refuse(Call& c, const Error& e, bool clear_flow) {
  log::info("audit", "single sign-on refused", {{"client", c.req.client_ip(c.options.trust_proxy)},
                                               {"why", std::string(name(e.code))}, {"message", e.message}});
  net::Response r;
  if (c.req.accept.find("text/html") != std::string::npos) {
    const std::string msg = error_response(e).status >= 500 ? "the sign-in provider could not be used; try again later"
                                                            : e.message;
    r = redirect("/login?sso_error=" + account::form_escape(msg.substr(0, 300)));
  } else {
    r = fail(c, e);
  }
  if (clear_flow) r.headers.emplace_back("Set-Cookie", account::oidc_flow_set_cookie("", 0, secure(c)));
  return r;
}

std::optional<net::Response> off(Call& c) {
  if (c.accounts && c.oidc) return std::nullopt;
  return fail(c, make_error(Errc::not_found, "single sign-on is off on this server"));
}

}  // namespace

net::Response config(Call& c) {
  if (!c.accounts) return fail(c, make_error(Errc::not_found, "accounts are off on this server"));
  v1::AuthConfig out;
  out.set_password_login(c.accounts->options().password_login);
  switch (c.accounts->options().signup) {
    case account::SignupMode::open: out.set_signup_mode(v1::SIGNUP_MODE_OPEN); break;
    case account::SignupMode::invite: out.set_signup_mode(v1::SIGNUP_MODE_INVITE); break;
    case account::SignupMode::off: out.set_signup_mode(v1::SIGNUP_MODE_OFF); break;
  }
  if (c.oidc) {
    out.set_sso_name(c.oidc->display_name());
    out.set_sso_start_url("/api/v1/auth/oidc/start");
  }
  return json_response(c, 200, out);
}

net::Response start(Call& c) {
  if (auto o = off(c)) return *o;
  account::OidcClient::Context ctx;
  ctx.signup_code = c.req.query_param("code");
  if (ctx.signup_code.size() > 64) return refuse(c, make_error(Errc::invalid_argument, "code: at most 64 bytes"), false);
  ctx.return_to = safe_return(c.req.query_param("return"));
  if (c.req.query_param("link") == "1") {
    // Linking the identity to the signed-in account. A GET (a navigation), so no CSRF
    // header: harmless, since the identity linked is whoever signs in at the provider in
    // this same browser, and the callback needs this browser's flow cookie and state.
    auto s = api_detail::signed_in(c, false);
    if (!s) return refuse(c, s.error(), false);
    ctx.link_user_id = s->user.id;
  }
  auto url = redirect_url(c);
  if (!url) return refuse(c, url.error(), false);
  auto started = c.oidc->begin(*url, std::move(ctx));
  if (!started) return refuse(c, started.error(), false);
  net::Response r = redirect(started->authorize_url);
  r.headers.emplace_back("Set-Cookie", account::oidc_flow_set_cookie(started->flow_id,
                                                                     c.oidc->options().flow_ttl_ms / 1000, secure(c)));
  return r;
}

net::Response callback(Call& c) {
  if (auto o = off(c)) return *o;
  if (std::string err = c.req.query_param("error"); !err.empty())
    return refuse(c, make_error(Errc::forbidden, "the provider did not sign you in (" + err.substr(0, 64) + ")"), true);
  const std::string flow = account::cookie_value(c.req.cookie, account::kOidcFlowCookie);
  auto done = c.oidc->finish(flow, c.req.query_param("state"), c.req.query_param("code"));
  if (!done) return refuse(c, done.error(), true);
  account::AccountService::OidcIdentity id{c.oidc->options().issuer, done->claims.subject, done->claims.email,
                                           done->claims.name, done->claims.email_verified};
  auto in = c.accounts->oidc_sign_in(id, done->ctx.signup_code, done->ctx.link_user_id, c.oidc->display_name());
  if (!in) return refuse(c, in.error(), true);
  log::info("audit", "signed in by single sign-on",
            {{"user", in->user.id()}, {"client", c.req.client_ip(c.options.trust_proxy)}});
  net::Response r = redirect(done->ctx.return_to.empty() ? "/" : done->ctx.return_to);
  r.headers.emplace_back("Set-Cookie", account::oidc_flow_set_cookie("", 0, secure(c)));
  r.headers.emplace_back("Set-Cookie", account::session_set_cookie(in->session_secret,
                                                                   c.accounts->options().session_ttl_ms / 1000, secure(c)));
  return r;
}

}  // namespace mockloop::loop::oidc_api
