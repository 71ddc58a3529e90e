// Rendering shared types and item content as JSON, as JSON.stringify(type.toJSON()) would.
#pragma once

#include <string>

#include "crdt/item.hpp"

namespace mockloop::crdt {

// Appends the JSON of element i of an item's content (ContentAny/JSON/Binary/Embed/Type...).
void render_content_value(const Item* it, uint64_t i, std::string* out);
// JSON of a branch as its own type.
void render_branch(const Branch* b, std::string* out);
// JSON of a branch read as the given type ref (roots whose type is chosen by the reader).
void render_branch_as(const Branch* b, uint8_t type_ref, std::string* out);
// Plain text of a text-like branch (undeleted ContentString items).
std::string branch_text(const Branch* b);
// Yjs toString of XML types.
std::string branch_xml_string(const Branch* b, uint8_t type_ref);

}  // namespace mockloop::crdt
