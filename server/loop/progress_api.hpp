// The profile and preparation routes of the REST API (issue 20; docs/progress.md): the
// self-assessment form and story guide (content, no session), candidate profiles, who sees
// them, the loops a host attaches to them, the progress across those loops, self-
// assessments and STAR stories, handing a kept profile to its candidate (a session cookie; state changes need X-CSRF-Token).
// Handlers for the route table in api.cpp; all but the two content routes run on the
// router's workers (they read SQLite). Attaching a loop to a profile releases its submitted
// scorecards to whoever may see the profile, the candidate included: only the loop's host
// may do it.
#pragma once

#include "loop/api.hpp"

namespace mockloop::loop::progress_api {

net::Response self_assessment_form(ApiRouter::Call& c);
net::Response story_guide(ApiRouter::Call& c);
net::Response own_profile(ApiRouter::Call& c);
net::Response list_profiles(ApiRouter::Call& c);
net::Response create_profile(ApiRouter::Call& c);
net::Response get_profile(ApiRouter::Call& c);
net::Response set_mentors(ApiRouter::Call& c);
net::Response attach_loop(ApiRouter::Call& c);
net::Response create_handover(ApiRouter::Call& c);
net::Response claim_profile(ApiRouter::Call& c);
net::Response progress(ApiRouter::Call& c);
net::Response list_assessments(ApiRouter::Call& c);
net::Response add_assessment(ApiRouter::Call& c);
net::Response list_stories(ApiRouter::Call& c);
net::Response add_story(ApiRouter::Call& c);
net::Response update_story(ApiRouter::Call& c);
net::Response delete_story(ApiRouter::Call& c);

}  // namespace mockloop::loop::progress_api
