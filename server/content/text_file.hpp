// Reads one protobuf text-format content file into a message. Errors carry
// "path:line:column: reason" so a mentor can find the mistake; on success `locations`
// (if given) maps fields to lines for later cross-reference errors. Stateless; any thread.
#pragma once

#include <filesystem>
#include <string>

#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include "common/result.hpp"

namespace mockloop::content {

// Maximum size of one content file (default 4 MiB); larger files are refused.
inline constexpr std::size_t kMaxContentFileBytes = 4u << 20;

Result<void> parse_text_file(const std::filesystem::path& path, google::protobuf::Message& out,
                             google::protobuf::TextFormat::ParseInfoTree* locations);

// Parses text already in memory; `name` is used in error messages.
Result<void> parse_text(std::string_view name, std::string_view text, google::protobuf::Message& out,
                        google::protobuf::TextFormat::ParseInfoTree* locations);

}  // namespace mockloop::content
