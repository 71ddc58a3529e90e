#include "room/principal_quota.hpp"

namespace mockloop::room {

Result<PrincipalQuota::Ticket> PrincipalQuota::admit(const std::string& principal, const std::string& doc) {
  if (principal.empty()) return Ticket();
  {
    std::lock_guard lock(mu_);
    auto& docs = counts_[principal];
    auto it = docs.find(doc);
    if (it == docs.end() && docs.size() >= max_docs_) {
      return make_error(Errc::principal_docs, "too many documents open with one token (" + std::to_string(max_docs_) + ")");
    }
    if (it != docs.end() && it->second >= max_per_doc_) {
      return make_error(Errc::principal_conns,
                        "too many connections to this document with one token (" + std::to_string(max_per_doc_) + ")");
    }
    ++docs[doc];
  }
  struct Admission {
    PrincipalQuota* quota;
    std::string principal, doc;
    ~Admission() { quota->release(principal, doc); }
  };
  return Ticket(static_cast<const void*>(new Admission{this, principal, doc}),
                [](const void* a) { delete static_cast<const Admission*>(a); });
}

void PrincipalQuota::release(const std::string& principal, const std::string& doc) {
  std::lock_guard lock(mu_);
  auto p = counts_.find(principal);
  if (p == counts_.end()) return;
  auto d = p->second.find(doc);
  if (d != p->second.end() && --d->second == 0) p->second.erase(d);
  if (p->second.empty()) counts_.erase(p);
}

size_t PrincipalQuota::connections(const std::string& principal, const std::string& doc) const {
  std::lock_guard lock(mu_);
  auto p = counts_.find(principal);
  if (p == counts_.end()) return 0;
  auto d = p->second.find(doc);
  return d == p->second.end() ? 0 : d->second;
}

size_t PrincipalQuota::docs(const std::string& principal) const {
  std::lock_guard lock(mu_);
  auto p = counts_.find(principal);
  return p == counts_.end() ? 0 : p->second.size();
}

}  // namespace mockloop::room
