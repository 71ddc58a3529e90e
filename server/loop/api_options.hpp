// The REST API's limits and switches, each with its default (flags in app/options.cpp).
// Plain data, no dependencies, so the command line can hold it.
#pragma once

#include <cstddef>

namespace mockloop::loop {

struct ApiOptions {
  size_t max_loops_per_ip_hour = 20;        // --max-loops-per-ip-hour; over it 429 + Retry-After
  size_t max_study_rooms_per_ip_hour = 60;  // --max-study-rooms-per-ip-hour; over it 429 + Retry-After
  // --allow-anonymous-create: POST /api/loops and /api/study-rooms without an account. On
  // here (tests of the loop API alone); the app's default is off (app/services.cpp), where
  // creating needs a signed-in user (loop/account_api.hpp). Off: 401 with accounts, else 403.
  bool allow_anonymous_create = true;
  bool trust_proxy = false;                 // --trust-proxy: client IP from X-Forwarded-For
  size_t workers = 2;                       // threads running store-bound requests
  size_t max_queued_requests = 1024;        // waiting for a worker; over it 503 + Retry-After
};

}  // namespace mockloop::loop
