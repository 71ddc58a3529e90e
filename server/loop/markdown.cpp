#include "loop/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <mutex>

namespace mockloop::loop {

std::string render_markdown(std::string_view markdown) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
  if (markdown.size() > kMaxMarkdownBytes) markdown = markdown.substr(0, kMaxMarkdownBytes);
  constexpr int kOptions = CMARK_OPT_DEFAULT;  // never CMARK_OPT_UNSAFE: see the header
  cmark_parser* parser = cmark_parser_new(kOptions);
  for (const char* name : {"table", "strikethrough", "autolink", "tagfilter"})
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
      cmark_parser_attach_syntax_extension(parser, ext);
  cmark_parser_feed(parser, markdown.data(), markdown.size());
  cmark_node* doc = cmark_parser_finish(parser);
  char* html = cmark_render_html(doc, kOptions, cmark_parser_get_syntax_extensions(parser));
  std::string out = html ? html : "";
  cmark_get_default_mem_allocator()->free(html);
  cmark_node_free(doc);
  cmark_parser_free(parser);
  return out;
}

}  // namespace mockloop::loop
