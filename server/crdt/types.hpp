// Text, Map, Array: lightweight handles on a shared type (a Branch) of a Doc. A handle is a
// pointer; it stays valid while its Doc lives. Every editing call runs in a transaction (its
// own, or the one opened by Doc::transact). Positions and lengths are UTF-16 code units,
// as in Yjs. Not thread-safe: use a handle only on the thread that owns its Doc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mockloop::crdt {

struct Branch;
class Map;
class Array;

class Text {
 public:
  Text() = default;
  explicit Text(Branch* b) : b_(b) {}
  bool valid() const { return b_ != nullptr; }
  uint32_t length() const;
  // attributes_json: a JSON object of formatting attributes, or empty for "inherit".
  void insert(uint32_t index, std::string_view utf8, std::string_view attributes_json = {});
  // Inserts an embed (ContentEmbed) holding a JSON value.
  void insert_embed(uint32_t index, std::string_view json_value,
                    std::string_view attributes_json = {});
  void remove(uint32_t index, uint32_t length);
  void format(uint32_t index, uint32_t length, std::string_view attributes_json);
  std::string to_string() const;
  std::string to_delta_json() const;
  Branch* branch() const { return b_; }

 private:
  Branch* b_ = nullptr;
};

class Map {
 public:
  Map() = default;
  explicit Map(Branch* b) : b_(b) {}
  bool valid() const { return b_ != nullptr; }
  void set_json(std::string_view key, std::string_view json_value);
  Map set_map(std::string_view key);
  Array set_array(std::string_view key);
  Text set_text(std::string_view key);
  void remove(std::string_view key);
  std::optional<std::string> get_json(std::string_view key) const;
  // The nested Y.Map stored under `key`; an invalid handle when the value is anything else.
  Map get_map(std::string_view key) const;
  std::vector<std::string> keys() const;
  uint32_t size() const;
  std::string to_json() const;
  Branch* branch() const { return b_; }

 private:
  Branch* b_ = nullptr;
};

class Array {
 public:
  Array() = default;
  explicit Array(Branch* b) : b_(b) {}
  bool valid() const { return b_ != nullptr; }
  uint32_t length() const;
  void insert_json(uint32_t index, std::string_view json_value);
  Map insert_map(uint32_t index);
  Array insert_array(uint32_t index);
  Text insert_text(uint32_t index);
  void remove(uint32_t index, uint32_t length);
  std::optional<std::string> get_json(uint32_t index) const;
  std::string to_json() const;
  Branch* branch() const { return b_; }

 private:
  Branch* b_ = nullptr;
};

}  // namespace mockloop::crdt
