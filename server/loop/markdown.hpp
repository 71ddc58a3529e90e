// Markdown -> HTML for the written work (the debrief, the candidate's report, the deep-dive
// round), with Debian's cmark-gfm (GitHub-flavoured: tables, strikethrough, autolinks).
// Safe by construction: CMARK_OPT_DEFAULT without CMARK_OPT_UNSAFE, so raw HTML blocks and
// inline HTML are replaced by a comment and links or images whose URL is javascript:,
// vbscript:, file: or data: (other than images) get an empty URL; the tagfilter extension
// also neutralises <script>, <iframe>, <style> and friends. The output may be placed in a
// page as markup. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mockloop::loop {

// Texts longer than this are cut before rendering (default 512 KiB; a 6-pager is ~25 KiB).
inline constexpr std::size_t kMaxMarkdownBytes = 512 * 1024;

std::string render_markdown(std::string_view markdown);

}  // namespace mockloop::loop
