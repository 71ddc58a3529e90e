#include "loop/account_api.hpp"

#include <cctype>

#include "account/cookie.hpp"
#include "common/log.hpp"
#include "loop/api_call.hpp"
#include "loop/loop_service.hpp"

namespace mockloop::loop {

namespace api_detail {

bool has_session_cookie(const ApiRouter::Call& c) {
  return !account::cookie_value(c.req.cookie, account::kSessionCookie).empty();
}

bool secure_request(const ApiRouter::Call& c) {
  return (c.accounts != nullptr && c.accounts->options().secure_cookies) ||
         (c.options.trust_proxy && c.req.forwarded_proto == "https");
}

std::string request_origin(const ApiRouter::Call& c) {
  const std::string& host = c.req.host;
  if (host.empty() || host.size() > kMaxHostBytes) return {};
  for (unsigned char ch : host)
    if (!(std::isalnum(ch) || ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']')) return {};
  return std::string(secure_request(c) ? "https://" : "http://") + host;
}

Result<account::SessionUser> signed_in(ApiRouter::Call& c, bool state_changing) {
  if (!c.accounts) return make_error(Errc::unauthenticated, "accounts are off on this server");
  auto s = c.accounts->session(account::cookie_value(c.req.cookie, account::kSessionCookie));
  if (!s) return s.error();
  if (state_changing)
    if (auto ok = account::AccountService::check_csrf(*s, c.req.csrf_token); !ok) return ok.error();
  return s;
}

}  // namespace api_detail

namespace account_api {
namespace {

using Call = ApiRouter::Call;
using api_detail::fail;
using api_detail::json_response;
using api_detail::parse_json;
using api_detail::signed_in;

std::optional<net::Response> accounts_off(Call& c) {
  if (c.accounts) return std::nullopt;
  return fail(c, make_error(Errc::not_found, "accounts are off on this server"));
}

// Secure on the cookie when configured, or when a trusted proxy says the request came
// over HTTPS.
bool secure(const Call& c) { return api_detail::secure_request(c); }

v1::SignupMode mode_view(account::SignupMode m) {
  switch (m) {
    case account::SignupMode::open: return v1::SIGNUP_MODE_OPEN;
    case account::SignupMode::invite: return v1::SIGNUP_MODE_INVITE;
    case account::SignupMode::off: return v1::SIGNUP_MODE_OFF;
  }
  return v1::SIGNUP_MODE_UNSPECIFIED;
}

net::Response session_started(Call& c, const account::SignedIn& in, int status) {
  v1::AuthResponse body;
  *body.mutable_user() = in.user;
  body.set_csrf_token(in.csrf_token);
  body.set_signup_mode(mode_view(c.accounts->options().signup));
  net::Response r = json_response(c, status, body);
  r.headers.emplace_back("Set-Cookie", account::session_set_cookie(in.session_secret,
                                                                   c.accounts->options().session_ttl_ms / 1000, secure(c)));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

net::Response session_ended(Call& c, uint32_t ended) {
  v1::LogoutResponse body;
  body.set_sessions_ended(ended);
  net::Response r = json_response(c, 200, body);
  r.headers.emplace_back("Set-Cookie", account::session_set_cookie("", 0, secure(c)));
  return r;
}

}  // namespace

net::Response signup(Call& c) {
  if (auto off = accounts_off(c)) return *off;
  v1::SignupRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  auto in = c.accounts->signup(body);
  if (!in) return fail(c, in.error());
  log::info("audit", "account created", {{"user", in->user.id()}, {"admin", in->user.admin() ? "yes" : "no"},
                                         {"client", c.req.client_ip(c.options.trust_proxy)}});
  net::Response r = session_started(c, *in, 201);
  r.headers.emplace_back("Location", "/api/v1/me");
  return r;
}

net::Response login(Call& c) {
  if (auto off = accounts_off(c)) return *off;
  v1::LoginRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  int64_t retry_after = 0;
  auto in = c.accounts->login(body, &retry_after);
  const std::string client = c.req.client_ip(c.options.trust_proxy);
  if (!in) {
    log::info("audit", "sign-in refused", {{"client", client}, {"why", std::string(name(in.error().code))}});
    net::Response r = fail(c, in.error());
    if (retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after));
    return r;
  }
  log::info("audit", "signed in", {{"user", in->user.id()}, {"client", client}});
  return session_started(c, *in, 200);
}

net::Response logout(Call& c) {
  if (auto off = accounts_off(c)) return *off;
  auto s = signed_in(c, true);
  if (!s) return fail(c, s.error());
  auto n = c.accounts->logout(*s);
  if (!n) return fail(c, n.error());
  return session_ended(c, *n);
}

net::Response logout_all(Call& c) {
  if (auto off = accounts_off(c)) return *off;
  auto s = signed_in(c, true);
  if (!s) return fail(c, s.error());
  auto n = c.accounts->logout_everywhere(*s);
  if (!n) return fail(c, n.error());
  log::info("audit", "signed out everywhere", {{"user", s->user.id}, {"sessions", std::to_string(*n)}});
  return session_ended(c, *n);
}

net::Response change_password(Call& c) {
  if (auto off = accounts_off(c)) return *off;
  auto s = signed_in(c, true);
  if (!s) return fail(c, s.error());
  v1::ChangePasswordRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  if (auto r = c.accounts->change_password(*s, body); !r) return fail(c, r.error());
  log::info("audit", "password changed", {{"user", s->user.id}});
  v1::AuthResponse out;
  *out.mutable_user() = account::AccountService::user_view(s->user);
  out.set_csrf_token(s->csrf_token);
  out.set_signup_mode(mode_view(c.accounts->options().signup));
  return json_response(c, 200, out);
}

net::Response me(Call& c) {
  if (auto off = accounts_off(c)) return *off;
  auto s = signed_in(c, false);
  if (!s) return fail(c, s.error());
  v1::AuthResponse out;
  *out.mutable_user() = account::AccountService::user_view(s->user);
  out.set_csrf_token(s->csrf_token);
  out.set_signup_mode(mode_view(c.accounts->options().signup));
  net::Response r = json_response(c, 200, out);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

net::Response create_signup_code(Call& c) {
  if (auto off = accounts_off(c)) return *off;
  auto s = signed_in(c, true);
  if (!s) return fail(c, s.error());
  v1::CreateSignupCodeRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  auto code = c.accounts->create_signup_code(*s, body.admin());
  if (!code) return fail(c, code.error());
  log::info("audit", "sign-up code issued", {{"user", s->user.id}, {"admin", body.admin() ? "yes" : "no"}});
  return json_response(c, 201, *code);
}

net::Response attach_invite(Call& c) {
  if (auto off = accounts_off(c)) return *off;
  auto s = signed_in(c, true);
  if (!s) return fail(c, s.error());
  v1::AttachInviteRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  auto p = c.service.authenticate(body.token());
  if (!p) return fail(c, p.error());
  if (p->loop_id.empty()) return fail(c, make_error(Errc::invalid_argument, "only a loop's invite can be attached"));
  if (auto r = c.accounts->attach_invite(s->user.id, p->token_id, p->loop_id); !r) return fail(c, r.error());
  log::info("audit", "invite attached", {{"user", s->user.id}, {"loop", p->loop_id}, {"token_id", p->token_id}});
  auto mine = c.service.my_loop(p->loop_id, p->token_id);
  if (!mine) return fail(c, mine.error());
  if (!*mine) return fail(c, make_error(Errc::not_found, "no such loop"));
  return json_response(c, 201, **mine);
}

net::Response my_loops(Call& c) {
  if (auto off = accounts_off(c)) return *off;
  auto s = signed_in(c, false);
  if (!s) return fail(c, s.error());
  auto rows = c.accounts->attached_invites(s->user.id);
  if (!rows) return fail(c, rows.error());
  const bool with_archived = c.req.query_param("archived") == "1";
  v1::ListMyLoopsResponse out;
  for (const auto& row : *rows) {
    auto archived = c.accounts->is_archived(row.loop_id);
    if (!archived) return fail(c, archived.error());
    if (*archived && !with_archived) continue;
    auto mine = c.service.my_loop(row.loop_id, row.token_id);
    if (!mine) return fail(c, mine.error());
    if (!*mine) continue;
    (*mine)->set_attached_at_ms(row.attached_at_ms);
    (*mine)->set_archived(*archived);
    *out.add_loops() = std::move(**mine);
  }
  return json_response(c, 200, out);
}

Creator creator(Call& c, std::string_view what) {
  Creator out;
  if (c.accounts && api_detail::has_session_cookie(c)) {
    auto s = signed_in(c, true);
    if (s) {
      out.user = std::move(*s);
      return out;
    }
    if (s.error().code == Errc::forbidden) {  // signed in, but no CSRF token: refuse, never fall back
      out.refusal = fail(c, s.error());
      return out;
    }
  }
  if (c.options.allow_anonymous_create) return out;
  if (c.accounts) {
    out.refusal = fail(c, make_error(Errc::unauthenticated, "sign in to create " + std::string(what) +
                                                                " (anonymous creation is off: --allow-anonymous-create)"));
  } else {
    out.refusal = net::json_error(Errc::forbidden, "this server does not let anonymous clients create " +
                                                       std::string(what) + " (--allow-anonymous-create is off)");
  }
  return out;
}

void attach_created(Call& c, const account::SessionUser& user, const std::string& loop_id,
                    const std::string& token_id) {
  if (!c.accounts) return;
  if (auto r = c.accounts->attach_invite(user.user.id, token_id, loop_id); !r)
    log::error("accounts", "attaching the host invite failed", {{"loop", loop_id}, {"cause", r.error().message}});
}

}  // namespace account_api
}  // namespace mockloop::loop
