// Provenance: what every generated image carries before it is stored. Now: XMP metadata
// (prompt, model, seed, campaign, and IPTC's digital source type for media made by a
// trained model), written into the encoded file without re-encoding its pixels. The
// invisible watermark (its own issue) plugs in as another Provenance step.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace adloom {

struct ProvenanceRecord {
  std::string prompt;
  std::string model;  // "builtin:layout-v1"
  std::uint64_t seed = 0;
  std::string campaign_id;
  std::string campaign_name;
  // Deliberately no time and no generation id: the same image from the same inputs stays
  // byte-identical (and so de-duplicates in the library).
};

// IPTC's term for media created by a trained algorithmic model.
inline constexpr std::string_view kTrainedAlgorithmicMedia =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

class Provenance {
 public:
  virtual ~Provenance() = default;
  // The image with its provenance applied, in the same format. kInvalidArgument for a
  // format it cannot mark.
  virtual Result<std::string> apply(std::string_view encoded, const std::string& mime,
                                    const ProvenanceRecord& record) = 0;
};

// The XMP packet describing `record` (RDF/XML; text escaped).
std::string provenance_xmp(const ProvenanceRecord& record);

// Adds the XMP packet to a PNG (an iTXt "XML:com.adobe.xmp" chunk after IHDR) or a JPEG (an
// APP1 segment after SOI/APP0). Any XMP already there is left; readers take the first.
class XmpProvenance final : public Provenance {
 public:
  Result<std::string> apply(std::string_view encoded, const std::string& mime,
                            const ProvenanceRecord& record) override;
};

// The first XMP packet of a PNG or JPEG, or "" when there is none (tests, verify).
std::string read_xmp(std::string_view encoded);

}  // namespace adloom
