#include "loop/progress_api.hpp"

#include "account/profile_service.hpp"
#include "common/log.hpp"
#include "loop/api_call.hpp"
#include "loop/loop_service.hpp"
#include "scoring/progress_stats.hpp"

namespace mockloop::loop::progress_api {
namespace {

using Call = ApiRouter::Call;
using api_detail::fail;
using api_detail::json_response;
using api_detail::parse_json;
using api_detail::signed_in;

template <typename T>
net::Response reply(Call& c, const Result<T>& r, int status = 200) {
  if (!r) return fail(c, r.error());
  return json_response(c, status, *r);
}

// The signed-in caller, or the refusal: 404 without profiles on this server, 401 without a
// session, 403 for a state change without the session's CSRF token.
Result<account::SessionUser> caller(Call& c, bool state_changing) {
  if (!c.profiles) return make_error(Errc::not_found, "accounts are off on this server");
  return signed_in(c, state_changing);
}

// Whether `user_id` hosts the loop: a live host invite of it is attached to their account.
Result<bool> hosts(Call& c, const std::string& user_id, const std::string& loop_id) {
  auto rows = c.accounts->attached_invites(user_id);
  if (!rows) return rows.error();
  for (const auto& row : *rows) {
    if (row.loop_id != loop_id) continue;
    auto mine = c.service.my_loop(row.loop_id, row.token_id);
    if (!mine) return mine.error();
    if (*mine && (*mine)->role() == v1::ROLE_HOST && !(*mine)->revoked()) return true;
  }
  return false;
}

}  // namespace

net::Response self_assessment_form(Call& c) {
  const auto& form = c.service.catalog().self_assessment();
  if (form.statements_size() == 0) return fail(c, make_error(Errc::not_found, "this server has no self-assessment"));
  return json_response(c, 200, form);
}

net::Response story_guide(Call& c) { return json_response(c, 200, c.service.catalog().story_guide()); }

net::Response own_profile(Call& c) {
  auto s = caller(c, true);
  if (!s) return fail(c, s.error());
  const std::string name = s->user.display_name.empty() ? s->user.email : s->user.display_name;
  return reply(c, c.profiles->own_profile(s->user.id, name));
}

net::Response list_profiles(Call& c) {
  auto s = caller(c, false);
  if (!s) return fail(c, s.error());
  return reply(c, c.profiles->list(s->user.id));
}

net::Response create_profile(Call& c) {
  auto s = caller(c, true);
  if (!s) return fail(c, s.error());
  v1::CreateProfileRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  auto made = c.profiles->create_kept(s->user.id, body.name());
  net::Response r = reply(c, made, 201);
  if (r.status == 201) {
    log::info("audit", "profile created", {{"user", s->user.id}, {"profile", made->id()}});
    r.headers.emplace_back("Location", "/api/v1/profiles/" + made->id());
  }
  return r;
}

net::Response get_profile(Call& c) {
  auto s = caller(c, false);
  if (!s) return fail(c, s.error());
  return reply(c, c.profiles->view(c.param("pid"), s->user.id));
}

net::Response set_mentors(Call& c) {
  auto s = caller(c, true);
  if (!s) return fail(c, s.error());
  v1::SetMentorsRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  std::vector<std::string> emails(body.emails().begin(), body.emails().end());
  auto v = c.profiles->set_mentors(c.param("pid"), s->user.id, emails);
  if (v) log::info("audit", "profile shared", {{"user", s->user.id}, {"profile", v->id()},
                                               {"mentors", std::to_string(v->mentors_size())}});
  return reply(c, v);
}

net::Response attach_loop(Call& c) {
  auto s = caller(c, true);
  if (!s) return fail(c, s.error());
  v1::AttachProfileLoopRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  // The profile's rules first (a stranger learns nothing about the loop either).
  if (auto v = c.profiles->view(c.param("pid"), s->user.id); !v) return fail(c, v.error());
  auto host = hosts(c, s->user.id, body.loop_id());
  if (!host) return fail(c, host.error());
  if (!*host)
    return fail(c, make_error(Errc::forbidden, "only the loop's host attaches it to a profile (attach the host link to your account first)"));
  auto v = c.profiles->attach_loop(c.param("pid"), s->user.id, body.loop_id());
  if (v) log::info("audit", "loop attached to profile", {{"user", s->user.id}, {"profile", v->id()}, {"loop", body.loop_id()}});
  return reply(c, v, 201);
}

net::Response create_handover(Call& c) {
  auto s = caller(c, true);
  if (!s) return fail(c, s.error());
  auto h = c.profiles->create_handover(c.param("pid"), s->user.id);
  if (!h) return fail(c, h.error());
  log::info("audit", "profile handover code made", {{"user", s->user.id}, {"profile", h->profile_id()}});
  net::Response r = json_response(c, 201, *h);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

net::Response claim_profile(Call& c) {
  auto s = caller(c, true);
  if (!s) return fail(c, s.error());
  v1::ClaimProfileRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  auto v = c.profiles->claim(s->user.id, body.code());
  if (v) log::info("audit", "profile handed over", {{"user", s->user.id}, {"profile", v->id()}});
  return reply(c, v);
}

net::Response progress(Call& c) {
  auto s = caller(c, false);
  if (!s) return fail(c, s.error());
  auto in = c.profiles->progress_inputs(c.param("pid"), s->user.id);
  if (!in) return fail(c, in.error());
  std::vector<scoring::LoopRecord> records;
  records.reserve(in->loop_ids.size());
  for (const auto& id : in->loop_ids) {
    auto rec = c.service.loop_record(id);
    if (!rec) return fail(c, rec.error());
    if (*rec) records.push_back(std::move(**rec));  // a deleted loop drops out
  }
  v1::ProgressResponse out =
      scoring::build_progress(c.service.catalog(), std::move(records), in->assessments, in->stories, c.service.now_ms());
  *out.mutable_profile() = std::move(in->profile);
  net::Response r = json_response(c, 200, out);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

net::Response list_assessments(Call& c) {
  auto s = caller(c, false);
  if (!s) return fail(c, s.error());
  return reply(c, c.profiles->assessments(c.param("pid"), s->user.id));
}

net::Response add_assessment(Call& c) {
  auto s = caller(c, true);
  if (!s) return fail(c, s.error());
  v1::SubmitAssessmentRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  std::vector<uint32_t> ratings(body.ratings().begin(), body.ratings().end());
  return reply(c, c.profiles->add_assessment(c.param("pid"), s->user.id, ratings), 201);
}

net::Response list_stories(Call& c) {
  auto s = caller(c, false);
  if (!s) return fail(c, s.error());
  return reply(c, c.profiles->stories(c.param("pid"), s->user.id));
}

net::Response add_story(Call& c) {
  auto s = caller(c, true);
  if (!s) return fail(c, s.error());
  v1::StoryDraft body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  auto made = c.profiles->add_story(c.param("pid"), s->user.id, body);
  net::Response r = reply(c, made, 201);
  if (r.status == 201) r.headers.emplace_back("Location", "/api/v1/profiles/" + c.param("pid") + "/stories/" + made->id());
  return r;
}

net::Response update_story(Call& c) {
  auto s = caller(c, true);
  if (!s) return fail(c, s.error());
  v1::StoryDraft body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  return reply(c, c.profiles->update_story(c.param("pid"), s->user.id, c.param("sid"), body));
}

net::Response delete_story(Call& c) {
  auto s = caller(c, true);
  if (!s) return fail(c, s.error());
  if (auto r = c.profiles->delete_story(c.param("pid"), s->user.id, c.param("sid")); !r) return fail(c, r.error());
  return reply(c, c.profiles->stories(c.param("pid"), s->user.id));
}

}  // namespace mockloop::loop::progress_api
