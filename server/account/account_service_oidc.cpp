// AccountService's single sign-on (the rules in account_service.hpp, oidc_sign_in).
#include "account/account_service.hpp"

#include "common/log.hpp"
#include "store/loop_store.hpp"

namespace mockloop::account {

Result<SignedIn> AccountService::oidc_sign_in(const OidcIdentity& id, std::string_view signup_code,
                                              std::string_view link_user_id, std::string_view provider_name) {
  const std::string provider(provider_name);
  store::IdentityRow identity{id.issuer, id.subject, "", now_ms()};
  std::optional<store::UserRow> user;
  {
    std::lock_guard lock(mu_);
    auto linked = store_->find_user_by_identity(id.issuer, id.subject);
    if (!linked) return linked.error();
    if (*linked) {
      if (!link_user_id.empty() && (*linked)->id != link_user_id)
        return make_error(Errc::conflict, "this " + provider + " identity belongs to another account");
      user = std::move(*linked);
    } else if (!link_user_id.empty()) {
      auto me = store_->find_user(link_user_id);
      if (!me) return me.error();
      if (!*me) return make_error(Errc::unauthenticated, "no such account");
      identity.user_id = (*me)->id;
      if (auto r = store_->insert_identity(identity); !r) return r.error();
      log::info("audit", "identity linked", {{"user", identity.user_id}, {"issuer", id.issuer}});
      user = std::move(*me);
    }
  }
  if (user) return start_session(*user);

  if (options_.signup == SignupMode::invite && signup_code.empty())
    return make_error(Errc::forbidden, "sign-up on this server is by invitation: open your sign-up link and choose "
                                       "'Sign up with " + provider + "'");
  auto email = normalize_email(id.email);
  if (!email)
    return make_error(Errc::forbidden, "the " + provider + " account has no usable e-mail address (" +
                                           email.error().message + "); this server needs one for a new account");
  if (options_.signup == SignupMode::off) {
    std::lock_guard lock(mu_);
    auto existing = store_->find_user_by_email(*email);
    if (!existing) return existing.error();
    if (!*existing || !id.email_verified)
      return make_error(Errc::forbidden, "sign-up is off on this server: an admin makes your account first (with the "
                                         "e-mail your " + provider + " account verified)");
    auto has = store_->has_identity_at((*existing)->id, id.issuer);
    if (!has) return has.error();
    if (*has) return make_error(Errc::conflict, "that account is linked to another " + provider + " identity");
    identity.user_id = (*existing)->id;
    if (auto r = store_->insert_identity(identity); !r) return r.error();
    log::info("audit", "identity linked by verified e-mail", {{"user", identity.user_id}, {"issuer", id.issuer}});
    user = std::move(*existing);
  }
  if (user) return start_session(*user);

  std::optional<std::string> code_hash;
  bool admin = false;
  if (!signup_code.empty()) {
    if (signup_code.size() > 64) return make_error(Errc::invalid_argument, "code: at most 64 bytes");
    code_hash = store::hash_token(signup_code);
    std::lock_guard lock(mu_);
    auto code = store_->find_signup_code(*code_hash);
    if (!code) return code.error();
    if (!*code || !(*code)->used_by.empty() || (*code)->expires_at_ms <= now_ms())
      return make_error(Errc::forbidden, "this sign-up code is unknown, used or expired");
    admin = (*code)->admin;
  }
  store::UserRow u;
  u.id = random_secret(9);
  u.email = std::move(*email);
  u.display_name = id.name.size() <= kMaxDisplayNameBytes && !id.name.empty() ? id.name
                                                                              : u.email.substr(0, u.email.find('@'));
  for (char& c : u.display_name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  u.admin = admin;
  u.created_at_ms = now_ms();
  identity.user_id = u.id;
  {
    std::lock_guard lock(mu_);
    auto r = store_->insert_user(u, code_hash ? std::optional<std::string_view>(*code_hash) : std::nullopt, now_ms(),
                                 &identity);
    if (!r && r.error().code == Errc::conflict && r.error().message.find("e-mail") != std::string::npos)
      return make_error(Errc::conflict, "an account with this e-mail exists: sign in to it, then link " + provider +
                                            " from the account line of the start page");
    if (!r) return r.error();
  }
  log::info("audit", "account created by single sign-on", {{"user", u.id}, {"issuer", id.issuer},
                                                           {"admin", admin ? "yes" : "no"}});
  return start_session(u);
}

}  // namespace mockloop::account
