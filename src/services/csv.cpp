#include "services/csv.h"

#include <charconv>

namespace adloom {

Result<std::vector<CsvRecord>> parse_csv(std::string_view text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());

  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  bool field_started = false;  // something (even "") was read for the current field
  const std::size_t n = text.size();
  std::size_t i = 0;
  auto where = [&] { return "CSV row " + std::to_string(records.size() + 1) + ": "; };

  while (i < n) {
    const char c = text[i];
    if (c == '"' && !field_started) {
      const std::size_t opened = records.size() + 1;
      ++i;
      for (;;) {
        if (i >= n) {
          return invalid_argument("CSV row " + std::to_string(opened) +
                                  ": quoted field is never closed");
        }
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return invalid_argument(where() + "unexpected text after a closing quote");
      }
      field_started = true;
      continue;
    }
    if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
      ++i;
      continue;
    }
    if (c == '\n' || c == '\r') {
      i += (c == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
      records.push_back(std::move(record));
      record.clear();
      continue;
    }
    if (c == '"') {
      return invalid_argument(where() +
                              "a quote inside an unquoted field (enclose the field in quotes "
                              "and double the quote)");
    }
    field += c;
    field_started = true;
    ++i;
  }
  // A last record without a line break after it.
  if (field_started || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

std::string_view trim_cell(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<double> parse_cell_number(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string csv_row(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    std::string f = fields[i];
    if (!f.empty() && std::string_view("=+-@\t\r").find(f.front()) != std::string_view::npos) {
      f.insert(0, 1, '\'');
    }
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (const char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out + "\r\n";
}

}  // namespace adloom
