#include "imaging/provenance.h"

#include <zlib.h>

namespace adloom {
namespace {

constexpr std::string_view kPngSignature = "\x89PNG\r\n\x1a\n";
constexpr std::string_view kXmpKeyword = "XML:com.adobe.xmp";
constexpr std::string_view kJpegXmpHeader = "http://ns.adobe.com/xap/1.0/";

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

void put_u32(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>((v >> 16) & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
  out += static_cast<char>(v & 0xFF);
}

std::uint32_t get_u32(std::string_view s, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

Result<std::string> png_with_xmp(std::string_view png, const std::string& xmp) {
  // Signature (8) + IHDR chunk (4 length + 4 type + 13 data + 4 CRC) = 33 bytes.
  constexpr std::size_t kAfterIhdr = 33;
  if (png.size() < kAfterIhdr || png.substr(0, 8) != kPngSignature || png.substr(12, 4) != "IHDR") {
    return invalid_argument("provenance: not a PNG");
  }
  // iTXt: keyword NUL, compression flag 0, method 0, language tag NUL, translated NUL, text.
  std::string data(kXmpKeyword);
  data += std::string("\0\0\0\0\0", 5);
  data += xmp;
  std::string chunk;
  put_u32(chunk, static_cast<std::uint32_t>(data.size()));
  const std::string typed = "iTXt" + data;
  chunk += typed;
  put_u32(chunk, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(typed.data()),
                                                  static_cast<uInt>(typed.size()))));
  std::string out;
  out.reserve(png.size() + chunk.size());
  out.append(png.substr(0, kAfterIhdr)).append(chunk).append(png.substr(kAfterIhdr));
  return out;
}

Result<std::string> jpeg_with_xmp(std::string_view jpeg, const std::string& xmp) {
  if (jpeg.size() < 4 || static_cast<unsigned char>(jpeg[0]) != 0xFF ||
      static_cast<unsigned char>(jpeg[1]) != 0xD8) {
    return invalid_argument("provenance: not a JPEG");
  }
  std::string payload(kJpegXmpHeader);
  payload += '\0';
  payload += xmp;
  if (payload.size() + 2 > 0xFFFF) return invalid_argument("provenance: XMP over 64 KB");
  std::size_t at = 2;  // after SOI; keep a JFIF APP0 first
  if (static_cast<unsigned char>(jpeg[2]) == 0xFF && static_cast<unsigned char>(jpeg[3]) == 0xE0 &&
      jpeg.size() > 6) {
    at = 4 + ((static_cast<unsigned char>(jpeg[4]) << 8) | static_cast<unsigned char>(jpeg[5]));
  }
  const auto length = static_cast<std::uint32_t>(payload.size() + 2);
  std::string segment = "\xFF\xE1";
  segment += static_cast<char>(length >> 8);
  segment += static_cast<char>(length & 0xFF);
  segment += payload;
  std::string out;
  out.reserve(jpeg.size() + segment.size());
  out.append(jpeg.substr(0, at)).append(segment).append(jpeg.substr(at));
  return out;
}

}  // namespace

std::string provenance_xmp(const ProvenanceRecord& r) {
  return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
         "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
         "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
         "<rdf:Description rdf:about=\"\" "
         "xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
         "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" "
         "xmlns:adloom=\"https://adloom.dev/ns/provenance/1.0/\"\n"
         " Iptc4xmpExt:DigitalSourceType=\"" +
         std::string(kTrainedAlgorithmicMedia) +
         "\"\n"
         " xmp:CreatorTool=\"adloom " +
         escape_xml(r.model) +
         "\"\n"
         " adloom:model=\"" +
         escape_xml(r.model) + "\"\n adloom:seed=\"" + std::to_string(r.seed) +
         "\"\n adloom:campaignId=\"" + escape_xml(r.campaign_id) + "\"\n adloom:campaign=\"" +
         escape_xml(r.campaign_name) +
         "\">\n"
         "<adloom:prompt>" +
         escape_xml(r.prompt) +
         "</adloom:prompt>\n"
         "</rdf:Description>\n</rdf:RDF></x:xmpmeta>\n<?xpacket end=\"r\"?>";
}

Result<std::string> XmpProvenance::apply(std::string_view encoded, const std::string& mime,
                                         const ProvenanceRecord& record) {
  const std::string xmp = provenance_xmp(record);
  if (mime == "image/png") return png_with_xmp(encoded, xmp);
  if (mime == "image/jpeg") return jpeg_with_xmp(encoded, xmp);
  return invalid_argument("provenance: cannot mark " + mime + " images (PNG and JPEG only)");
}

std::string read_xmp(std::string_view s) {
  if (s.substr(0, 8) == kPngSignature) {
    for (std::size_t at = 8; at + 12 <= s.size();) {
      const std::uint32_t length = get_u32(s, at);
      if (at + 12 + length > s.size()) break;
      const std::string_view data = s.substr(at + 8, length);
      if (s.substr(at + 4, 4) == "iTXt" && data.substr(0, kXmpKeyword.size()) == kXmpKeyword) {
        return std::string(data.substr(kXmpKeyword.size() + 5));
      }
      at += 12 + length;
    }
    return "";
  }
  const std::string marker = std::string(kJpegXmpHeader) + '\0';
  const auto at = s.find(marker);
  if (at == std::string_view::npos || at < 4) return "";
  const std::size_t length =
      (static_cast<unsigned char>(s[at - 2]) << 8) | static_cast<unsigned char>(s[at - 1]);
  if (at - 2 + length > s.size() || length < marker.size() + 2) return "";
  return std::string(s.substr(at + marker.size(), length - 2 - marker.size()));
}

}  // namespace adloom
