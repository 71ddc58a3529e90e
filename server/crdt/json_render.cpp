#include "crdt/json_render.hpp"

#include <algorithm>
#include <vector>

#include "crdt/limits.hpp"
#include "crdt/utf.hpp"

namespace mockloop::crdt {

namespace {

// Rendering recurses once per level of nested types, whose depth a client chooses: past
// kMaxRenderDepth levels a type renders as null (JSON) or nothing (XML strings). Counted
// per thread, as renders of different documents may run on different threads.
thread_local uint32_t render_depth = 0;

class DepthGuard {
 public:
  DepthGuard() { ++render_depth; }
  ~DepthGuard() { --render_depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  bool too_deep() const { return render_depth > kMaxRenderDepth; }
};

}  // namespace

void render_content_value(const Item* it, uint64_t i, std::string* out) {
  const Content& c = it->content;
  switch (c.kind) {
    case ContentKind::Any: append_json(c.x->any[i], out); break;
    case ContentKind::Json:
      out->append(c.x->json[i] == "undefined" ? "null" : c.x->json[i]);
      break;
    case ContentKind::Binary: {
      Any a;
      a.kind = Any::Kind::Buffer;
      a.buffer = c.x->binary;
      append_json(a, out);
      break;
    }
    case ContentKind::Embed: out->append(c.x->value); break;
    case ContentKind::Type: render_branch(c.x->branch, out); break;
    case ContentKind::String: {
      std::string s;
      append_utf16_as_utf8(std::u16string_view(c.str).substr(i, 1), &s);
      append_json_string(s, out);
      break;
    }
    case ContentKind::Doc: out->append("{}"); break;
    default: out->append("null"); break;
  }
}

std::string branch_text(const Branch* b) {
  std::string s;
  for (const Item* n = b->start; n; n = n->right) {
    if (!n->deleted() && n->content.kind == ContentKind::String) {
      append_utf16_as_utf8(n->content.str, &s);
    }
  }
  return s;
}

namespace {

bool is_undefined_value(const Item* it) {
  const Content& c = it->content;
  if (c.kind == ContentKind::Any) return c.x->any.back().kind == Any::Kind::Undefined;
  if (c.kind == ContentKind::Json) return c.x->json.back() == "undefined";
  return false;
}

void render_map(const Branch* b, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const auto& [key, it] : b->map) {
    if (!it || it->deleted() || is_undefined_value(it)) continue;
    if (!first) out->push_back(',');
    first = false;
    append_json_string(key, out);
    out->push_back(':');
    render_content_value(it, it->len - 1, out);
  }
  out->push_back('}');
}

void render_array(const Branch* b, std::string* out) {
  out->push_back('[');
  bool first = true;
  for (const Item* n = b->start; n; n = n->right) {
    if (n->deleted() || !n->countable()) continue;
    for (uint64_t i = 0; i < n->len; ++i) {
      if (!first) out->push_back(',');
      first = false;
      render_content_value(n, i, out);
    }
  }
  out->push_back(']');
}

}  // namespace

namespace {

// JS `${value}` for a JSON value.
std::string js_string_of(const Any& v) {
  switch (v.kind) {
    case Any::Kind::String: return v.str;
    case Any::Kind::Null: return "null";
    case Any::Kind::Undefined: return "undefined";
    case Any::Kind::Bool: return v.boolean ? "true" : "false";
    case Any::Kind::Number: {
      std::string s;
      append_json_number(v.number, &s);
      return s;
    }
    case Any::Kind::Object: return "[object Object]";
    case Any::Kind::Array: {
      std::string out;
      for (size_t i = 0; i < v.array.size(); ++i) {
        if (i) out.push_back(',');
        const Any& e = v.array[i];
        if (e.kind != Any::Kind::Null && e.kind != Any::Kind::Undefined) out += js_string_of(e);
      }
      return out;
    }
    default: {
      std::string s;
      append_json(v, &s);
      return s;
    }
  }
}

// YXmlText.toString: each delta op wrapped in tags named after its attributes.
std::string xml_text_string(const Branch* b) {
  std::vector<std::pair<std::string, std::string>> cur;  // key -> JSON value
  std::string out;
  std::string run;
  auto flush = [&] {
    if (run.empty()) return;
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> nodes;
    for (auto& [name, json] : cur) {
      // `for (const key in value)`: object keys, array indices, or a string's UTF-16 units.
      std::vector<std::pair<std::string, std::string>> attrs;
      auto parsed = parse_json(json);
      if (parsed.ok()) {
        const Any& v = parsed.value();
        if (v.kind == Any::Kind::Object) {
          for (auto& [k, e] : v.object) attrs.emplace_back(k, js_string_of(e));
        } else if (v.kind == Any::Kind::Array) {
          for (size_t i = 0; i < v.array.size(); ++i) {
            attrs.emplace_back(std::to_string(i), js_string_of(v.array[i]));
          }
        } else if (v.kind == Any::Kind::String) {
          std::u16string u = utf8_to_utf16(v.str);
          for (size_t i = 0; i < u.size(); ++i) {
            attrs.emplace_back(std::to_string(i), utf16_to_utf8(u.substr(i, 1)));
          }
        }
      }
      std::sort(attrs.begin(), attrs.end(),
                [](auto& a, auto& b2) { return a.first < b2.first; });
      nodes.emplace_back(name, std::move(attrs));
    }
    std::sort(nodes.begin(), nodes.end(), [](auto& a, auto& b2) { return a.first < b2.first; });
    for (auto& [name, attrs] : nodes) {
      out += "<" + name;
      for (auto& [k, v] : attrs) out.append(" ").append(k).append("=\"").append(v).append("\"");
      out += ">";
    }
    out += run;
    for (size_t i = nodes.size(); i-- > 0;) out += "</" + nodes[i].first + ">";
    run.clear();
  };
  for (const Item* n = b->start; n; n = n->right) {
    if (n->deleted()) continue;
    if (n->content.kind == ContentKind::String) {
      append_utf16_as_utf8(n->content.str, &run);
    } else if (n->content.kind == ContentKind::Embed || n->content.kind == ContentKind::Type) {
      // A delta op of its own, stringified as JS does (`${insert}`).
      flush();
      if (n->content.kind == ContentKind::Embed) {
        auto parsed = parse_json(n->content.x->value);
        run = parsed.ok() ? js_string_of(parsed.value()) : "";
      } else {
        const Branch* c = n->content.x->branch;
        run = (c->type_ref == kRefXmlElement || c->type_ref == kRefXmlText ||
               c->type_ref == kRefXmlFragment)
                  ? branch_xml_string(c, c->type_ref)
                  : "[object Object]";
      }
      flush();
    } else if (n->content.kind == ContentKind::Format) {
      flush();
      const std::string& key = n->content.x->key;
      const std::string& val = n->content.x->value;
      auto it = std::find_if(cur.begin(), cur.end(), [&](auto& p) { return p.first == key; });
      if (val == "null") {
        if (it != cur.end()) cur.erase(it);
      } else if (it != cur.end()) {
        it->second = val;
      } else {
        cur.emplace_back(key, val);
      }
    }
  }
  flush();
  return out;
}

}  // namespace

std::string branch_xml_string(const Branch* b, uint8_t type_ref) {
  DepthGuard guard;
  if (guard.too_deep()) return {};
  if (type_ref == kRefXmlText) return xml_text_string(b);
  if (type_ref == kRefText) return branch_text(b);
  std::string inner;
  for (const Item* n = b->start; n; n = n->right) {
    if (n->deleted() || n->content.kind != ContentKind::Type) continue;
    const Branch* c = n->content.x->branch;
    inner += branch_xml_string(c, c->type_ref);
  }
  if (type_ref != kRefXmlElement) return inner;
  std::vector<std::pair<std::string, std::string>> attrs;
  for (const auto& [key, it] : b->map) {
    if (!it || it->deleted()) continue;
    std::string v;
    if (it->content.kind == ContentKind::Any && it->content.x->any.back().kind == Any::Kind::String) {
      v = it->content.x->any.back().str;
    } else {
      render_content_value(it, it->len - 1, &v);
    }
    attrs.emplace_back(key, v);
  }
  std::sort(attrs.begin(), attrs.end());
  std::string name = b->node_name;
  for (char& ch : name) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  std::string s = "<" + name;
  for (auto& [k, v] : attrs) s.append(" ").append(k).append("=\"").append(v).append("\"");
  s += ">" + inner + "</" + name + ">";
  return s;
}

void render_branch_as(const Branch* b, uint8_t type_ref, std::string* out) {
  DepthGuard guard;
  if (guard.too_deep()) {
    out->append("null");
    return;
  }
  switch (type_ref) {
    case kRefMap:
    case kRefXmlHook: render_map(b, out); break;
    case kRefArray: render_array(b, out); break;
    case kRefText: append_json_string(branch_text(b), out); break;
    case kRefXmlFragment:
    case kRefXmlElement:
    case kRefXmlText:
      append_json_string(branch_xml_string(b, type_ref), out);
      break;
    default: out->append("{}"); break;
  }
}

void render_branch(const Branch* b, std::string* out) { render_branch_as(b, b->type_ref, out); }

}  // namespace mockloop::crdt
