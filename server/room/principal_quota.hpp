// How many connections each principal (a token's key, or an anonymous client's IP address:
// see limits.hpp) has open, by document, so that one principal cannot take a document's
// connection slots or hold the registry's documents in memory (Limits::
// max_docs_per_principal, max_connections_per_principal_per_doc).
//
// admit() hands out a Ticket per admitted connection; the connection holds it and the count
// drops when the last copy of the ticket goes. An empty principal is not counted.
//
// Thread-safe: one mutex guards the counts; it is a leaf lock (nothing is called under it).
// Must outlive every Ticket (the DocRegistry owns it and outlives its connections).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/result.hpp"

namespace mockloop::room {

class PrincipalQuota {
 public:
  using Ticket = std::shared_ptr<const void>;  // releases the admission when the last copy goes

  PrincipalQuota(size_t max_docs, size_t max_connections_per_doc)
      : max_docs_(max_docs), max_per_doc_(max_connections_per_doc) {}
  PrincipalQuota(const PrincipalQuota&) = delete;
  PrincipalQuota& operator=(const PrincipalQuota&) = delete;

  // Admits one more connection of `principal` to `doc`. Fails with "principal_docs" when
  // the principal has connections on max_docs other documents, "principal_conns" when it has
  // max_connections_per_doc on this one. An empty principal is always admitted (null ticket).
  Result<Ticket> admit(const std::string& principal, const std::string& doc);

  // Connections of `principal` on `doc` (tests, metrics).
  size_t connections(const std::string& principal, const std::string& doc) const;
  size_t docs(const std::string& principal) const;

 private:
  void release(const std::string& principal, const std::string& doc);

  const size_t max_docs_;
  const size_t max_per_doc_;
  mutable std::mutex mu_;  // guards counts_
  // principal -> doc -> open connections (entries at 0 are erased, so the map is bounded by
  // the open connections).
  std::unordered_map<std::string, std::unordered_map<std::string, size_t>> counts_;
};

}  // namespace mockloop::room
