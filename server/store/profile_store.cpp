#include "store/profile_store.hpp"

#include "store/blob_rows.hpp"
#include "store/profile_migrations.hpp"

namespace mockloop::store {
namespace {

constexpr std::string_view kProfileColumns = "id, name, candidate_user_id, owner_id, created_at_ms";

ProfileRow read_profile(const Statement& st) {
  return {std::string(st.column_text(0)), std::string(st.column_text(1)), std::string(st.column_text(2)),
          std::string(st.column_text(3)), st.column_int64(4)};
}

Result<std::optional<ProfileRow>> one_profile(Database& db, std::string_view where, std::string_view key) {
  auto st = db.prepare("SELECT " + std::string(kProfileColumns) + " FROM profiles WHERE " + std::string(where));
  if (!st) return st.error();
  st->bind_text(1, key);
  return first_row(*st, read_profile);
}

ProfileUserRow read_user(const Statement& st) {
  return {std::string(st.column_text(0)), std::string(st.column_text(1)), std::string(st.column_text(2))};
}

std::string join_ratings(const std::vector<uint32_t>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s;
}

std::vector<uint32_t> split_ratings(std::string_view s) {
  std::vector<uint32_t> out;
  uint32_t cur = 0;
  bool any = false;
  for (char ch : s) {
    if (ch == ',') {
      out.push_back(cur);
      cur = 0;
      any = false;
    } else if (ch >= '0' && ch <= '9') {
      cur = cur * 10 + static_cast<uint32_t>(ch - '0');
      any = true;
    }
  }
  if (any) out.push_back(cur);
  return out;
}

}  // namespace

Result<std::unique_ptr<ProfileStore>> ProfileStore::open(Database& db) {
  if (auto r = db.migrate("profiles", profile_migrations()); !r) return r.error();
  return std::unique_ptr<ProfileStore>(new ProfileStore(db));
}

Result<void> ProfileStore::insert_profile(const ProfileRow& p, bool owner_mentors) {
  return in_transaction(db_, [&]() -> Result<void> {
    if (!p.candidate_user_id.empty()) {
      auto taken = one_profile(db_, "candidate_user_id = ?1", p.candidate_user_id);
      if (!taken) return taken.error();
      if (*taken) return make_error(Errc::conflict, "this candidate has a profile already");
    }
    auto st = db_.prepare("INSERT INTO profiles(id, name, candidate_user_id, owner_id, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return st.error();
    st->bind_text(1, p.id).bind_text(2, p.name).bind_text(3, p.candidate_user_id).bind_text(4, p.owner_id);
    st->bind_int64(5, p.created_at_ms);
    if (auto r = st->run(); !r) return r;
    if (!owner_mentors) return {};
    auto m = db_.prepare("INSERT INTO profile_mentors(profile_id, user_id, added_at_ms) VALUES (?1, ?2, ?3)");
    if (!m) return m.error();
    m->bind_text(1, p.id).bind_text(2, p.owner_id).bind_int64(3, p.created_at_ms);
    return m->run();
  });
}

Result<std::optional<ProfileRow>> ProfileStore::find_profile(std::string_view id) { return one_profile(db_, "id = ?1", id); }

Result<std::optional<ProfileRow>> ProfileStore::profile_of_candidate(std::string_view user_id) {
  return one_profile(db_, "candidate_user_id = ?1", user_id);
}

Result<std::vector<ProfileRow>> ProfileStore::profiles_of(std::string_view user_id) {
  auto st = db_.prepare("SELECT " + std::string(kProfileColumns) +
                        " FROM profiles WHERE candidate_user_id = ?1 OR owner_id = ?1"
                        " OR id IN (SELECT profile_id FROM profile_mentors WHERE user_id = ?1)"
                        " ORDER BY created_at_ms, id");
  if (!st) return st.error();
  st->bind_text(1, user_id);
  return collect_rows(*st, read_profile);
}

Result<int64_t> ProfileStore::count_owned(std::string_view owner_id) {
  return count_rows(db_, "SELECT COUNT(*) FROM profiles WHERE owner_id = ?1", owner_id);
}

Result<std::optional<ProfileUserRow>> ProfileStore::find_user_by_email(std::string_view email) {
  auto st = db_.prepare("SELECT id, email, display_name FROM users WHERE email = ?1");
  if (!st) return st.error();
  st->bind_text(1, email);
  return first_row(*st, read_user);
}

Result<std::vector<ProfileUserRow>> ProfileStore::mentors(std::string_view profile_id) {
  auto st = db_.prepare(
      "SELECT m.user_id, COALESCE(u.email, ''), COALESCE(u.display_name, '') FROM profile_mentors m"
      " LEFT JOIN users u ON u.id = m.user_id WHERE m.profile_id = ?1 ORDER BY m.added_at_ms, m.user_id");
  if (!st) return st.error();
  st->bind_text(1, profile_id);
  return collect_rows(*st, read_user);
}

Result<void> ProfileStore::set_mentors(std::string_view profile_id, const std::vector<std::string>& user_ids,
                                       int64_t now_ms) {
  return in_transaction(db_, [&]() -> Result<void> {
    auto del = db_.prepare("DELETE FROM profile_mentors WHERE profile_id = ?1");
    if (!del) return del.error();
    del->bind_text(1, profile_id);
    if (auto r = del->run(); !r) return r;
    for (size_t i = 0; i < user_ids.size(); ++i) {
      auto st = db_.prepare(
          "INSERT INTO profile_mentors(profile_id, user_id, added_at_ms) VALUES (?1, ?2, ?3)"
          " ON CONFLICT(profile_id, user_id) DO NOTHING");
      if (!st) return st.error();
      st->bind_text(1, profile_id).bind_text(2, user_ids[i]).bind_int64(3, now_ms + static_cast<int64_t>(i));
      if (auto r = st->run(); !r) return r;
    }
    return {};
  });
}

Result<void> ProfileStore::attach_loop(std::string_view profile_id, const ProfileLoopRow& row) {
  auto st = db_.prepare(
      "INSERT INTO profile_loops(profile_id, loop_id, attached_by, attached_at_ms) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT(profile_id, loop_id) DO NOTHING");
  if (!st) return st.error();
  st->bind_text(1, profile_id).bind_text(2, row.loop_id).bind_text(3, row.attached_by).bind_int64(4, row.attached_at_ms);
  return st->run();
}

Result<std::vector<ProfileLoopRow>> ProfileStore::loops(std::string_view profile_id) {
  auto st = db_.prepare(
      "SELECT loop_id, attached_by, attached_at_ms FROM profile_loops WHERE profile_id = ?1 ORDER BY attached_at_ms, loop_id");
  if (!st) return st.error();
  st->bind_text(1, profile_id);
  return collect_rows(*st, [](const Statement& s) {
    return ProfileLoopRow{std::string(s.column_text(0)), std::string(s.column_text(1)), s.column_int64(2)};
  });
}

Result<int64_t> ProfileStore::count_loops(std::string_view profile_id) {
  return count_rows(db_, "SELECT COUNT(*) FROM profile_loops WHERE profile_id = ?1", profile_id);
}

Result<int64_t> ProfileStore::detach_loop(std::string_view loop_id) {
  auto st = db_.prepare("DELETE FROM profile_loops WHERE loop_id = ?1");
  if (!st) return st.error();
  st->bind_text(1, loop_id);
  if (auto r = st->run(); !r) return r.error();
  return changed_rows(db_);
}

Result<void> ProfileStore::insert_assessment(std::string_view profile_id, const AssessmentRow& a) {
  auto st = db_.prepare(
      "INSERT INTO self_assessments(id, profile_id, taken_at_ms, ratings, score, band_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!st) return st.error();
  st->bind_text(1, a.id).bind_text(2, profile_id).bind_int64(3, a.taken_at_ms).bind_text(4, join_ratings(a.ratings));
  st->bind_int64(5, a.score).bind_text(6, a.band_id);
  return st->run();
}

Result<std::vector<AssessmentRow>> ProfileStore::assessments(std::string_view profile_id) {
  auto st = db_.prepare(
      "SELECT id, taken_at_ms, ratings, score, band_id FROM self_assessments WHERE profile_id = ?1"
      " ORDER BY taken_at_ms, id");
  if (!st) return st.error();
  st->bind_text(1, profile_id);
  return collect_rows(*st, [](const Statement& s) {
    return AssessmentRow{std::string(s.column_text(0)), s.column_int64(1), split_ratings(s.column_text(2)),
                         static_cast<uint32_t>(s.column_int64(3)), std::string(s.column_text(4))};
  });
}

Result<int64_t> ProfileStore::count_assessments(std::string_view profile_id) {
  return count_rows(db_, "SELECT COUNT(*) FROM self_assessments WHERE profile_id = ?1", profile_id);
}

Result<void> ProfileStore::insert_story(std::string_view profile_id, const StoryRow& s) {
  auto st = db_.prepare(
      "INSERT INTO stories(id, profile_id, draft, shared, created_at_ms, updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!st) return st.error();
  st->bind_text(1, s.id).bind_text(2, profile_id).bind_blob_static(3, blob_bytes(s.draft));
  st->bind_int64(4, s.shared ? 1 : 0).bind_int64(5, s.created_at_ms).bind_int64(6, s.updated_at_ms);
  return st->run();
}

Result<bool> ProfileStore::update_story(std::string_view profile_id, const StoryRow& s) {
  auto st = db_.prepare("UPDATE stories SET draft = ?3, shared = ?4, updated_at_ms = ?5 WHERE id = ?1 AND profile_id = ?2");
  if (!st) return st.error();
  st->bind_text(1, s.id).bind_text(2, profile_id).bind_blob_static(3, blob_bytes(s.draft));
  st->bind_int64(4, s.shared ? 1 : 0).bind_int64(5, s.updated_at_ms);
  if (auto r = st->run(); !r) return r.error();
  auto n = changed_rows(db_);
  if (!n) return n.error();
  return *n == 1;
}

Result<bool> ProfileStore::delete_story(std::string_view profile_id, std::string_view story_id) {
  auto st = db_.prepare("DELETE FROM stories WHERE id = ?1 AND profile_id = ?2");
  if (!st) return st.error();
  st->bind_text(1, story_id).bind_text(2, profile_id);
  if (auto r = st->run(); !r) return r.error();
  auto n = changed_rows(db_);
  if (!n) return n.error();
  return *n == 1;
}

Result<std::vector<StoryRow>> ProfileStore::stories(std::string_view profile_id) {
  auto st = db_.prepare(
      "SELECT id, draft, shared, created_at_ms, updated_at_ms FROM stories WHERE profile_id = ?1 ORDER BY created_at_ms, id");
  if (!st) return st.error();
  st->bind_text(1, profile_id);
  return collect_rows(*st, [](const Statement& s) {
    return StoryRow{std::string(s.column_text(0)), column_blob_string(s, 1), s.column_int64(2) != 0,
                    s.column_int64(3), s.column_int64(4)};
  });
}

Result<int64_t> ProfileStore::count_stories(std::string_view profile_id) {
  return count_rows(db_, "SELECT COUNT(*) FROM stories WHERE profile_id = ?1", profile_id);
}

Result<void> ProfileStore::replace_handover(const HandoverRow& h) {
  return in_transaction(db_, [&]() -> Result<void> {
    auto del = db_.prepare("DELETE FROM profile_handovers WHERE profile_id = ?1");
    if (!del) return del.error();
    del->bind_text(1, h.profile_id);
    if (auto r = del->run(); !r) return r;
    auto st = db_.prepare(
        "INSERT INTO profile_handovers(hash, profile_id, created_by, created_at_ms, expires_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return st.error();
    st->bind_blob_static(1, blob_bytes(h.hash)).bind_text(2, h.profile_id).bind_text(3, h.created_by);
    st->bind_int64(4, h.created_at_ms).bind_int64(5, h.expires_at_ms);
    return st->run();
  });
}

Result<std::optional<HandoverRow>> ProfileStore::find_handover(std::string_view hash) {
  auto st = db_.prepare(
      "SELECT profile_id, created_by, created_at_ms, expires_at_ms FROM profile_handovers WHERE hash = ?1");
  if (!st) return st.error();
  st->bind_blob_static(1, blob_bytes(hash));
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return std::optional<HandoverRow>();
  return std::optional<HandoverRow>(HandoverRow{std::string(hash), std::string(st->column_text(0)),
                                                std::string(st->column_text(1)), st->column_int64(2), st->column_int64(3)});
}

Result<int64_t> ProfileStore::count_content(std::string_view profile_id) {
  return count_rows(db_,
                  "SELECT (SELECT COUNT(*) FROM profile_loops WHERE profile_id = ?1)"
                  " + (SELECT COUNT(*) FROM self_assessments WHERE profile_id = ?1)"
                  " + (SELECT COUNT(*) FROM stories WHERE profile_id = ?1)",
                  profile_id);
}

Result<void> ProfileStore::hand_over(std::string_view profile_id, std::string_view user_id,
                                     std::string_view drop_profile_id) {
  auto run = [&](const char* sql, std::string_view a, std::string_view b = {}) -> Result<int64_t> {
    auto st = db_.prepare(sql);
    if (!st) return st.error();
    st->bind_text(1, a);
    if (!b.empty()) st->bind_text(2, b);
    if (auto r = st->run(); !r) return r.error();
    return changed_rows(db_);
  };
  return in_transaction(db_, [&]() -> Result<void> {
    if (!drop_profile_id.empty()) {
      for (const char* sql : {"DELETE FROM profile_mentors WHERE profile_id = ?1",
                              "DELETE FROM profile_handovers WHERE profile_id = ?1",
                              "DELETE FROM profiles WHERE id = ?1"})
        if (auto r = run(sql, drop_profile_id); !r) return r.error();
    }
    auto n = run("UPDATE profiles SET candidate_user_id = ?2, owner_id = ?2 WHERE id = ?1 AND candidate_user_id = ''",
                 profile_id, user_id);
    if (!n) return n.error();
    if (*n != 1) return make_error(Errc::conflict, "this profile is no longer one a mentor keeps");
    if (auto r = run("DELETE FROM profile_mentors WHERE profile_id = ?1 AND user_id = ?2", profile_id, user_id); !r)
      return r.error();
    if (auto r = run("UPDATE stories SET shared = 1 WHERE profile_id = ?1", profile_id); !r) return r.error();
    if (auto r = run("DELETE FROM profile_handovers WHERE profile_id = ?1", profile_id); !r) return r.error();
    return {};
  });
}

}  // namespace mockloop::store
