// Ocr: printed-text recognition with Tesseract 5 (LSTM engine), plus a cheap detector
// that decides whether an image is worth recognising at all.
//
// Engines are expensive to create (80–300 ms, tens of MB) and not thread safe, so an Ocr
// keeps a small pool of initialised TessBaseAPI objects: each read() borrows one, so
// concurrent calls never share an engine and no call pays for Init after warm-up. The
// pool grows to the peak number of concurrent readers and lives as long as the Ocr.
//
// OpenMP: Tesseract's LSTM code opens `omp parallel` regions with a fixed num_threads
// clause, which omp_set_num_threads() cannot lower, and on a loaded machine the team's
// spinning threads make recognition several times slower. OMP_THREAD_LIMIT=1 works but
// libgomp reads it once, when the library loads, so setenv() from main is too late (it
// would need a re-exec). read() instead sets max-active-levels to 0 on the calling
// thread for the duration of the call — every parallel region then runs with a team of
// one — and restores the previous value afterwards, so other OpenMP users on the same
// thread (faiss) are unaffected. Measured on 2 shared cores (load ~5), 1024² ad, per
// image: default 600 ms wall / 400 ms CPU; omp_set_num_threads(1) 700–990 ms;
// OMP_THREAD_LIMIT=1 190–270 ms / 130–180 ms CPU; max-active-levels 0: 190–215 ms /
// 130–150 ms CPU, the same on the main thread and on a std::thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "imaging/image.h"

namespace tesseract {
class TessBaseAPI;
}

namespace adloom {

struct OcrResult {
  // Recognised lines, each trimmed with runs of whitespace collapsed to one space,
  // joined by '\n'. Empty when nothing credible was found (see Ocr::read).
  std::string text;
  double confidence = 0;  // mean confidence of the kept words, 0..100
  int words = 0;          // number of kept words
};

struct OcrOptions {
  std::string tessdata_dir = "/usr/share/tesseract-ocr/5/tessdata";
  std::string language = "eng";
  int max_side = 1600;              // larger inputs are downscaled to this longer side first
  int small_height = 300;           // inputs shorter than this are upscaled ×2 (small glyphs)
  double min_word_confidence = 50;  // weaker words are dropped as noise
  double min_line_confidence = 60;  // lines whose kept words average less are dropped
};

class Ocr {
 public:
  explicit Ocr(OcrOptions options = {});
  ~Ocr();
  Ocr(const Ocr&) = delete;
  Ocr& operator=(const Ocr&) = delete;

  // Recognises text. Thread safe. Noise is dropped, not reported: words below
  // min_word_confidence, lines whose words average below min_line_confidence or have
  // no word of ≥ 3 letters/digits, and everything when no word has ≥ 3 letters — that
  // is what Tesseract makes of textures and graphics. An empty result is not an error.
  // kInvalidArgument for a malformed image; kUnavailable when the engine cannot be
  // initialised (missing traineddata) or recognition fails.
  Result<OcrResult> read(const RgbImage& image);

  // Cheap test (a few ms at 512 px) for glyph-like structure: rows with many short,
  // strong, opposite-signed horizontal transitions (character strokes), stacked into
  // bands a text line high. False for flat colour fields and smooth gradients; may be
  // true for busy textures, which read() then filters. Thread safe, pure.
  static bool has_text_like_regions(const RgbImage& image);

 private:
  class Lease;
  struct EngineDeleter {
    void operator()(tesseract::TessBaseAPI* api) const;
  };
  using Engine = std::unique_ptr<tesseract::TessBaseAPI, EngineDeleter>;

  Result<Engine> acquire();
  void release(Engine engine);

  OcrOptions options_;
  std::mutex mu_;
  std::vector<Engine> idle_;  // initialised engines not currently lent out
};

}  // namespace adloom
