#include "crdt/content.hpp"

namespace mockloop::crdt {

Content Content::splice(uint64_t offset) {
  Content right;
  right.kind = kind;
  switch (kind) {
    case ContentKind::Deleted:
      right.deleted_len = deleted_len - offset;
      deleted_len = offset;
      break;
    case ContentKind::String: {
      right.str.assign(str, offset, std::u16string::npos);
      str.resize(offset);
      char16_t last = str.back();
      if (last >= 0xd800 && last <= 0xdbff) {
        str.back() = 0xfffd;
        right.str[0] = 0xfffd;
      }
      break;
    }
    case ContentKind::Json: {
      auto& r = right.extra().json;
      r.assign(std::make_move_iterator(x->json.begin() + static_cast<ptrdiff_t>(offset)),
               std::make_move_iterator(x->json.end()));
      x->json.resize(offset);
      break;
    }
    case ContentKind::Any: {
      auto& r = right.extra().any;
      r.assign(std::make_move_iterator(x->any.begin() + static_cast<ptrdiff_t>(offset)),
               std::make_move_iterator(x->any.end()));
      x->any.resize(offset);
      break;
    }
    default:
      break;  // length-1 kinds are never split
  }
  return right;
}

bool Content::merge_with(Content& right) {
  if (kind != right.kind) return false;
  switch (kind) {
    case ContentKind::Deleted: deleted_len += right.deleted_len; return true;
    case ContentKind::String: str += right.str; return true;
    case ContentKind::Json:
      for (auto& s : right.x->json) x->json.push_back(std::move(s));
      return true;
    case ContentKind::Any:
      for (auto& a : right.x->any) x->any.push_back(std::move(a));
      return true;
    default: return false;
  }
}

}  // namespace mockloop::crdt
