// Tesseract-backed OCR with a pooled engine per concurrent caller, and the text detector.
#include "models/builtin/ocr.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <omp.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

namespace adloom {
namespace {

// Screen graphics have no physical size; Tesseract only uses the resolution for its size
// priors, and without one it warns ("Invalid resolution 0 dpi") and guesses per image.
constexpr int kSourceDpi = 150;
constexpr int kMinCharsInSomeWord = 3;  // see keep_credible

// Owns one reference to a leptonica PIX.
struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// Tesseract allocates results with new[] / new; these own them.
struct TextDeleter {
  void operator()(char* text) const { delete[] text; }
};
using TextPtr = std::unique_ptr<char, TextDeleter>;

// Serialises OpenMP on this thread for the scope (see ocr.h): with max-active-levels 0
// every parallel region is inactive, i.e. executed by the encountering thread alone.
// The ICV is per thread in libgomp, so other threads are untouched.
class SerialOpenMpScope {
 public:
  SerialOpenMpScope() : saved_(omp_get_max_active_levels()) { omp_set_max_active_levels(0); }
  ~SerialOpenMpScope() { omp_set_max_active_levels(saved_); }
  SerialOpenMpScope(const SerialOpenMpScope&) = delete;
  SerialOpenMpScope& operator=(const SerialOpenMpScope&) = delete;

 private:
  int saved_;
};

// Tesseract keeps its parameters in process-wide variables that Init reads and writes;
// creating engines one at a time keeps that free of data races.
std::mutex& engine_init_mutex() {
  static std::mutex mu;
  return mu;
}

// A 32-bit RGB PIX holding a copy of `image`.
PixPtr to_pix(const RgbImage& image) {
  PixPtr pix(pixCreate(image.width, image.height, 32));
  if (!pix) return nullptr;
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  const std::uint8_t* src = image.pixels.data();
  for (int y = 0; y < image.height; ++y) {
    l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    for (int x = 0; x < image.width; ++x, src += 3) {
      line[x] = (l_uint32{src[0]} << L_RED_SHIFT) | (l_uint32{src[1]} << L_GREEN_SHIFT) |
                (l_uint32{src[2]} << L_BLUE_SHIFT);
    }
  }
  return pix;
}

// Locale-independent character classes for judging words (bytes of UTF-8).
bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// Letters, digits, and any non-ASCII byte (letters of other scripts, counted per byte).
bool is_word_char(char c) {
  return is_ascii_letter(c) || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}

int count_ascii_letters(std::string_view word) {
  return static_cast<int>(std::count_if(word.begin(), word.end(), is_ascii_letter));
}

int count_word_chars(std::string_view word) {
  return static_cast<int>(std::count_if(word.begin(), word.end(), is_word_char));
}

// Tesseract words carry no spaces, but be strict: whitespace runs become one space.
std::string normalise_word(const char* text) {
  std::string out;
  bool space = false;
  for (const char* p = text; *p != '\0'; ++p) {
    const char c = *p;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

struct Word {
  std::string text;
  float confidence = 0;  // 0..100
};

// Separates text from what Tesseract makes of textures and graphics, in three steps:
// words below min_word_confidence or without a letter or digit go; a line survives when
// its remaining words average min_line_confidence and one has ≥ 3 letters or digits
// (a real line outweighs one weak word; a line of weak fragments is noise); the page
// survives when some word has ≥ 3 letters.
OcrResult keep_credible(const std::vector<std::vector<Word>>& lines, const OcrOptions& options) {
  OcrResult result;
  double confidence_sum = 0;
  bool has_letters = false;
  for (const auto& line : lines) {
    std::string text;
    double line_sum = 0;
    int kept = 0;
    bool substantial = false;
    bool letters = false;
    for (const auto& w : line) {
      if (w.confidence < options.min_word_confidence || count_word_chars(w.text) == 0) continue;
      if (!text.empty()) text.push_back(' ');
      text += w.text;
      line_sum += w.confidence;
      ++kept;
      substantial = substantial || count_word_chars(w.text) >= kMinCharsInSomeWord;
      letters = letters || count_ascii_letters(w.text) >= kMinCharsInSomeWord;
    }
    if (kept == 0 || line_sum / kept < options.min_line_confidence || !substantial) continue;
    if (!result.text.empty()) result.text.push_back('\n');
    result.text += text;
    confidence_sum += line_sum;
    result.words += kept;
    has_letters = has_letters || letters;
  }
  if (!has_letters) return {};
  result.confidence = confidence_sum / result.words;
  return result;
}

// ---- text-like region detector -------------------------------------------------------

constexpr int kDetectSide = 512;      // analysis size (longer side)
constexpr int kEdgeStep = 40;         // grey-level rise over two pixels that counts as an edge
constexpr int kMinStrokesPerRow = 4;  // stems continuing from the row above: text-like
constexpr int kMinBandRows = 3;       // stacked text-like rows that make a text line
constexpr int kStemShift = 2;         // a stem may drift this much per row (italics, curves)

struct Grey {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> v;
};

// Approximate luma, (R + 2G + B) / 4 (shifts and adds, no multiplications: this runs on
// every pixel of every image), box-averaged by an integer factor so the longer side ≤ 512.
Grey to_small_grey(const RgbImage& image) {
  const int f = std::max(1, (std::max(image.width, image.height) + kDetectSide - 1) / kDetectSide);
  Grey g;
  g.width = image.width / f;
  g.height = image.height / f;
  g.v.assign(static_cast<std::size_t>(g.width) * g.height, 0);
  const std::size_t stride = static_cast<std::size_t>(image.width) * 3;
  if (f == 1) {  // the usual case (a 512 px decode): one pass, no box loops
    const std::uint8_t* p = image.pixels.data();
    for (std::uint8_t& out : g.v) {
      out = static_cast<std::uint8_t>((p[0] + 2u * p[1] + p[2]) >> 2);
      p += 3;
    }
    return g;
  }
  for (int y = 0; y < g.height; ++y) {
    for (int x = 0; x < g.width; ++x) {
      std::uint32_t sum = 0;
      for (int dy = 0; dy < f; ++dy) {
        const std::uint8_t* p = image.pixels.data() +
                                (static_cast<std::size_t>(y) * f + dy) * stride +
                                static_cast<std::size_t>(x) * f * 3;
        for (int dx = 0; dx < f; ++dx, p += 3) sum += p[0] + 2u * p[1] + p[2];
      }
      g.v[static_cast<std::size_t>(y) * g.width + x] =
          static_cast<std::uint8_t>(sum / (4u * static_cast<std::uint32_t>(f * f)));
    }
  }
  return g;
}

// A glyph stroke crossed by a row: a strong edge followed, within `max_stroke` pixels,
// by a strong edge of the opposite sign, with similar grey levels outside the pair (a
// mark on a background, not a step between two regions).
struct Stroke {
  int centre;    // x
  int polarity;  // +1 lighter than its background, -1 darker
};

struct Edge {
  int x;     // the pixel before the transition
  int sign;  // +1 rising, -1 falling
};

// The strokes of one row, left to right, into `strokes` (`edges` is scratch space; both
// are reused across rows to avoid allocating per row). Edges are paired greedily.
void strokes_in_row(const std::uint8_t* row, int width, int max_stroke, std::vector<Edge>& edges,
                    std::vector<Stroke>& strokes) {
  edges.clear();
  strokes.clear();
  int x = 0;
  while (x + 2 < width) {
    const int d = row[x + 2] - row[x];
    if (d < kEdgeStep && d > -kEdgeStep) {
      ++x;
      continue;
    }
    // One edge per run of same-signed strong steps (non-maximum suppression).
    const int sign = d > 0 ? 1 : -1;
    const int start = x;
    while (x + 2 < width && (row[x + 2] - row[x]) * sign >= kEdgeStep) ++x;
    edges.push_back({start, sign});
  }
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    const Edge& a = edges[i];
    const Edge& b = edges[i + 1];
    const int after = std::min(width - 1, b.x + 2);
    if (a.sign != b.sign && b.x - a.x <= max_stroke &&
        std::abs(row[a.x] - row[after]) < kEdgeStep) {
      strokes.push_back({(a.x + b.x) / 2 + 1, a.sign});
      ++i;  // the pair is consumed
    }
  }
}

// How many strokes of `cur` continue one of `prev` (same polarity, centre within
// kStemShift pixels). Glyph stems run vertically through many rows; the strokes that
// noise and fine textures produce do not line up from row to row. Both are sorted by x.
int continued_strokes(const std::vector<Stroke>& prev, const std::vector<Stroke>& cur) {
  int n = 0;
  std::size_t j = 0;
  for (const Stroke& c : cur) {
    while (j < prev.size() && prev[j].centre < c.centre - kStemShift) ++j;
    for (std::size_t k = j; k < prev.size() && prev[k].centre <= c.centre + kStemShift; ++k) {
      if (prev[k].polarity == c.polarity) {
        ++n;
        break;
      }
    }
  }
  return n;
}

}  // namespace

void Ocr::EngineDeleter::operator()(tesseract::TessBaseAPI* api) const {
  if (api == nullptr) return;
  api->End();
  delete api;
}

// Borrows an engine for one read() and gives it back, cleared, however read() exits.
class Ocr::Lease {
 public:
  Lease(Ocr& ocr, Engine engine) : ocr_(ocr), engine_(std::move(engine)) {}
  ~Lease() {
    engine_->Clear();  // drops the image and results; keeps the loaded model
    ocr_.release(std::move(engine_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  tesseract::TessBaseAPI* operator->() const { return engine_.get(); }

 private:
  Ocr& ocr_;
  Engine engine_;
};

Ocr::Ocr(OcrOptions options) : options_(std::move(options)) {}

Ocr::~Ocr() = default;

Result<Ocr::Engine> Ocr::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      Engine engine = std::move(idle_.back());
      idle_.pop_back();
      return engine;
    }
  }
  std::lock_guard init_lock(engine_init_mutex());
  Engine engine(new tesseract::TessBaseAPI());
  if (engine->Init(options_.tessdata_dir.c_str(), options_.language.c_str(),
                   tesseract::OEM_LSTM_ONLY) != 0) {
    return unavailable("tesseract cannot load language '" + options_.language + "' from " +
                       options_.tessdata_dir);
  }
  return engine;
}

void Ocr::release(Engine engine) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(engine));
}

Result<OcrResult> Ocr::read(const RgbImage& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 3) {
    return invalid_argument("pixel buffer does not match its size");
  }
  PixPtr pix = to_pix(image);
  if (!pix) return internal_error("cannot allocate an image for OCR");
  const int longer = std::max(image.width, image.height);
  float scale = 1.0f;
  if (longer > options_.max_side) {
    scale = static_cast<float>(options_.max_side) / static_cast<float>(longer);
  } else if (image.height < options_.small_height && longer * 2 <= options_.max_side) {
    scale = 2.0f;  // small glyphs: LSTM accuracy drops sharply below ~20 px x-height
  }
  if (scale != 1.0f) {
    PixPtr scaled(pixScale(pix.get(), scale, scale));
    if (!scaled) return internal_error("cannot scale the image for OCR");
    pix = std::move(scaled);
  }

  ADLOOM_ASSIGN(Engine engine, acquire());
  Lease api(*this, std::move(engine));
  SerialOpenMpScope serial;
  api->SetImage(pix.get());
  api->SetSourceResolution(kSourceDpi);
  if (api->Recognize(nullptr) != 0) return unavailable("tesseract recognition failed");

  std::vector<std::vector<Word>> lines;
  std::unique_ptr<tesseract::ResultIterator> it(api->GetIterator());
  if (it) {
    do {
      if (it->Empty(tesseract::RIL_WORD)) continue;
      if (lines.empty() || it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) lines.emplace_back();
      TextPtr raw(it->GetUTF8Text(tesseract::RIL_WORD));
      if (!raw) continue;
      std::string word = normalise_word(raw.get());
      if (!word.empty())
        lines.back().push_back({std::move(word), it->Confidence(tesseract::RIL_WORD)});
    } while (it->Next(tesseract::RIL_WORD));
  }
  return keep_credible(lines, options_);
}

bool Ocr::has_text_like_regions(const RgbImage& image) {
  if (image.width < 8 || image.height < 8 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 3) {
    return false;
  }
  const Grey g = to_small_grey(image);
  if (g.width < 8 || g.height < kMinBandRows) return false;
  // Strokes of large display type are wide; allow up to 1/16 of the width (≥ 16 px).
  const int max_stroke = std::max(16, g.width / 16);
  int band = 0;  // consecutive text-like rows, tolerating single-row gaps
  int gap = 0;
  std::vector<Edge> edges;
  std::vector<Stroke> prev;
  std::vector<Stroke> cur;
  for (int y = 0; y < g.height; ++y) {
    const std::uint8_t* row = g.v.data() + static_cast<std::size_t>(y) * g.width;
    strokes_in_row(row, g.width, max_stroke, edges, cur);
    if (continued_strokes(prev, cur) >= kMinStrokesPerRow) {
      ++band;
      gap = 0;
      if (band >= kMinBandRows) return true;
    } else if (++gap > 1) {
      band = 0;
    }
    std::swap(prev, cur);
  }
  return false;
}

}  // namespace adloom
