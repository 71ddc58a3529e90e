#include "content/text_file.hpp"

#include <fstream>
#include <sstream>

#include <google/protobuf/io/tokenizer.h>

namespace mockloop::content {
namespace {

// Keeps the first error (later ones usually follow from it), 1-based line and column.
class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column, const std::string& message) override {
    if (!has_error_) {
      has_error_ = true;
      line_ = line + 1;
      column_ = column + 1;
      message_ = message;
    }
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}

  bool has_error_ = false;
  int line_ = 0;
  int column_ = 0;
  std::string message_;
};

}  // namespace

Result<void> parse_text(std::string_view name, std::string_view text, google::protobuf::Message& out,
                        google::protobuf::TextFormat::ParseInfoTree* locations) {
  FirstErrorCollector errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(locations);
  parser.AllowUnknownField(false);
  parser.AllowUnknownExtension(false);
  if (!parser.ParseFromString(std::string(text), &out) || errors.has_error_) {
    std::ostringstream msg;
    msg << name << ":" << errors.line_ << ":" << errors.column_ << ": "
        << (errors.message_.empty() ? "could not parse" : errors.message_);
    return make_error(Errc::invalid_content, msg.str());
  }
  return {};
}

Result<void> parse_text_file(const std::filesystem::path& path, google::protobuf::Message& out,
                             google::protobuf::TextFormat::ParseInfoTree* locations) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return make_error(Errc::invalid_content, path.string() + ":0: cannot read: " + ec.message());
  if (size > kMaxContentFileBytes) {
    return make_error(Errc::invalid_content, path.string() + ":0: file larger than 4 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::invalid_content, path.string() + ":0: cannot open");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_text(path.string(), text, out, locations);
}

}  // namespace mockloop::content
