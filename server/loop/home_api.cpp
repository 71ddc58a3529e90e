#include "loop/home_api.hpp"

#include "common/log.hpp"
#include "loop/api_call.hpp"
#include "loop/loop_service.hpp"

namespace mockloop::loop::home_api {
namespace {

using Call = ApiRouter::Call;
using api_detail::fail;
using api_detail::json_response;
using api_detail::parse_json;

struct HostAccess {
  account::SessionUser user;
  Principal host;  // the loop's host as the account's attached invite names them
};

// The signed-in host of loop {id}, or the refusal.
Result<HostAccess> host_of(Call& c, bool state_changing) {
  if (!c.accounts) return make_error(Errc::not_found, "accounts are off on this server");
  auto s = api_detail::signed_in(c, state_changing);
  if (!s) return s.error();
  auto rows = c.accounts->attached_invites(s->user.id);
  if (!rows) return rows.error();
  const std::string& loop_id = c.param("id");
  bool attached = false;
  for (const auto& row : *rows) {
    if (row.loop_id != loop_id) continue;
    attached = true;
    auto p = c.service.account_principal(row.loop_id, row.token_id);
    if (!p) continue;  // gone or replaced (another attached one may be the host's live link)
    if (p->role() == v1::ROLE_HOST) return HostAccess{std::move(*s), std::move(*p)};
  }
  if (!attached) return make_error(Errc::not_found, "no such loop on this account");
  return make_error(Errc::forbidden, "only the loop's host may do this from their account, with a host link that "
                                     "still works (attach the new one after a replacement)");
}

}  // namespace

net::Response reissue(Call& c) {
  auto h = host_of(c, true);
  if (!h) return fail(c, h.error());
  auto invite = c.service.reissue_by_operator(c.param("id"), c.param("pid"));
  if (!invite) return fail(c, invite.error());
  // The host's own new link is the one the account keeps.
  if (c.param("pid") == h->host.participant.id())
    if (auto r = c.accounts->attach_invite(h->user.user.id, invite->token_id(), c.param("id")); !r)
      return fail(c, r.error());
  log::info("audit", "link reissued from an account", {{"user", h->user.user.id}, {"loop", c.param("id")},
                                                      {"participant", c.param("pid")}});
  net::Response r = json_response(c, 201, *invite);
  r.headers.emplace_back("Location", "/api/v1/loops/" + c.param("id") + "/participants/" + c.param("pid"));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

net::Response archive(Call& c) {
  auto h = host_of(c, true);
  if (!h) return fail(c, h.error());
  v1::ArchiveLoopRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  if (auto r = c.accounts->set_archived(c.param("id"), body.archived(), h->user.user.id); !r) return fail(c, r.error());
  auto mine = c.service.my_loop(c.param("id"), h->host.token_id);
  if (!mine) return fail(c, mine.error());
  if (!*mine) return fail(c, make_error(Errc::not_found, "no such loop"));
  (*mine)->set_archived(body.archived());
  log::info("audit", body.archived() ? "loop archived" : "loop unarchived", {{"user", h->user.user.id}, {"loop", c.param("id")}});
  return json_response(c, 200, **mine);
}

net::Response export_loop(Call& c) {
  auto h = host_of(c, false);
  if (!h) return fail(c, h.error());
  auto out = c.service.export_loop(h->host, c.param("id"));
  if (!out) return fail(c, out.error());
  net::Response r = json_response(c, 200, *out);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"mockloop-" + c.param("id") + ".json\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

net::Response delete_loop(Call& c) {
  auto h = host_of(c, true);
  if (!h) return fail(c, h.error());
  auto gone = c.service.delete_loop(c.param("id"));
  if (!gone) return fail(c, gone.error());
  v1::DeleteLoopResponse out;
  out.set_loop_id(c.param("id"));
  out.set_rows(static_cast<uint64_t>(gone->rows));
  if (c.remove_docs && *c.remove_docs) {
    auto docs = (*c.remove_docs)(gone->doc_families);
    if (!docs) return fail(c, docs.error());  // rows are gone; the documents stay until retried
    out.set_documents(static_cast<uint32_t>(*docs));
  }
  log::info("audit", "loop deleted", {{"user", h->user.user.id}, {"loop", c.param("id")},
                                     {"rows", std::to_string(gone->rows)}, {"documents", std::to_string(out.documents())}});
  return json_response(c, 200, out);
}

}  // namespace mockloop::loop::home_api
