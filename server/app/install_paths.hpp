// Where the server finds its content folder and the built web client when no flag,
// variable or config line names them, so it starts from any working directory:
//   content: PREFIX/share/mockloop/content (PREFIX = the binary's folder's parent, i.e.
//            where `cmake --install` put it), content/ next to the binary or in one of
//            its parent folders (a checkout's build/server/app/mockloop), ./content;
//   web:     PREFIX/share/mockloop/web, web/ next to the binary, client-web/dist in one
//            of its parent folders, else none (API and WebSockets only).
// A content folder counts when it has a templates/ folder, a web client when it has
// index.html. Plain filesystem checks; called once from main() before start-up.
#pragma once

#include <string>
#include <vector>

#include "app/options.hpp"
#include "common/result.hpp"

namespace mockloop::app {

// The candidates for `exe` (the binary's absolute path), in the order they are tried.
std::vector<std::string> content_dir_candidates(const std::string& exe);
std::vector<std::string> web_dir_candidates(const std::string& exe);

// Fills o.content_dir / o.net.static_dir when not given. Errc::usage naming every path
// tried when no content folder is found (or the given one has no templates/).
Result<void> resolve_install_paths(Options& o, const std::string& exe);

// This process's binary (/proc/self/exe); empty when unknown.
std::string current_executable();

}  // namespace mockloop::app
