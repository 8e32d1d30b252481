// A small RFC 4180 CSV reader for imports (KPI sheets exported from spreadsheets).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace adloom {

using CsvRecord = std::vector<std::string>;

// Splits `text` into records of fields. Follows RFC 4180: fields are separated by commas;
// a field may be enclosed in double quotes, and then may hold commas, line breaks and
// doubled quotes ("" stands for one "). Also accepted: a leading UTF-8 byte order mark
// (skipped), LF, CRLF or a lone CR as the line break, and no line break after the last
// record. Fields are returned verbatim (no trimming). A blank line is a record with one
// empty field, so record i (0-based) is spreadsheet row i + 1; empty text has no records.
// kInvalidArgument, naming the record, for a quote inside an unquoted field, text after a
// closing quote, or a quoted field that is never closed.
Result<std::vector<CsvRecord>> parse_csv(std::string_view text);

// A cell without surrounding spaces and tabs.
std::string_view trim_cell(std::string_view cell);

// A whole (trimmed) cell as a number, parsed strictly with std::from_chars: "1e3" and "0.5"
// are numbers, "1,000" and "12%" are not.
std::optional<double> parse_cell_number(std::string_view cell);

// One CSV record (RFC 4180) ending in CRLF: a field holding a comma, quote or line break is
// quoted. A field starting with =, +, -, @, tab or CR is prefixed with ' so spreadsheets
// show it as text instead of running it as a formula (CSV injection).
std::string csv_row(const std::vector<std::string>& fields);

}  // namespace adloom
