// adloom_bench_ingest: single-threaded throughput of the ingest stages (intake, analysis,
// embedding) against a raw libvips thumbnail baseline, on generated 1024×1024 JPEGs.
//
//   adloom_bench_ingest [--images N]      (default 64)
//
// Inputs are made in memory, deterministically (seeded PRNG per index): colour gradients
// and blocks, and on every 4th image large rendered text. libvips is used directly here
// only to make inputs and for the baseline; every timed adloom stage goes through the
// public adloom API.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <vips/vips8>

#include "imaging/image.h"
#include "models/builtin/builtin_analyser.h"
#include "models/builtin/builtin_embedder.h"
#include "models/embedder.h"
#include "models/image_analyser.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kSide = 1024;

struct Input {
  std::string jpeg;
  bool has_text = false;
  std::string text;  // ~30 words for the embedder
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "adloom_bench_ingest: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T must(adloom::Result<T> r, const char* what) {
  if (!r.is_ok()) die(std::string(what) + ": " + r.status().message());
  return std::move(r).value();
}

const std::vector<std::string>& words() {
  static const std::vector<std::string> w = {
      "summer",  "sale",    "new",     "collection", "shoes",   "coffee", "travel", "offer",
      "limited", "edition", "bright",  "bold",       "ocean",   "city",   "night",  "fresh",
      "organic", "premium", "launch",  "spring",     "winter",  "deal",   "free",   "delivery",
      "modern",  "classic", "outdoor", "family",     "weekend", "style",  "banner", "campaign"};
  return w;
}

std::string make_words(std::mt19937& rng, int count) {
  const auto& w = words();
  std::uniform_int_distribution<std::size_t> pick(0, w.size() - 1);
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (i > 0) out += ' ';
    out += w[pick(rng)];
  }
  return out;
}

std::string to_jpeg(const vips::VImage& img) {
  void* buf = nullptr;
  std::size_t size = 0;
  img.write_to_buffer(".jpg", &buf, &size, vips::VImage::option()->set("Q", 90));
  std::string out(static_cast<const char*>(buf), size);
  g_free(buf);
  return out;
}

// A deterministic ad-like image: a two-axis colour gradient, a few solid blocks and, when
// `text` is set, large dark-on-light or light-on-dark text.
Input make_input(int index) {
  std::mt19937 rng(0xad100 + static_cast<std::uint32_t>(index));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> byte(0, 255);

  const vips::VImage xyz = vips::VImage::xyz(kSide, kSide);
  const vips::VImage x = xyz[0] / static_cast<double>(kSide);
  const vips::VImage y = xyz[1] / static_cast<double>(kSide);
  std::vector<vips::VImage> bands;
  for (int b = 0; b < 3; ++b) {
    const double base = byte(rng);
    const double dx = (unit(rng) - 0.5) * 200.0;
    const double dy = (unit(rng) - 0.5) * 200.0;
    bands.push_back(x * dx + y * dy + base);
  }
  vips::VImage img = vips::VImage::bandjoin(bands).cast(VIPS_FORMAT_UCHAR);
  img = img.copy_memory();

  std::uniform_int_distribution<int> pos(0, kSide - 64);
  std::uniform_int_distribution<int> extent(64, kSide / 2);
  const int blocks = 3 + index % 5;
  for (int i = 0; i < blocks; ++i) {
    img.draw_rect({static_cast<double>(byte(rng)), static_cast<double>(byte(rng)),
                   static_cast<double>(byte(rng))},
                  pos(rng), pos(rng), extent(rng), extent(rng),
                  vips::VImage::option()->set("fill", true));
  }

  Input input;
  input.has_text = index % 4 == 0;
  if (input.has_text) {
    // A light panel with dark text, so the text is legible whatever the background.
    const std::string line = make_words(rng, 2) + "\n" + make_words(rng, 2) + "\n50% OFF";
    std::string upper = line;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const vips::VImage mask =
        vips::VImage::text(upper.c_str(), vips::VImage::option()
                                              ->set("font", "DejaVu Sans Bold 72")
                                              ->set("width", kSide - 160)
                                              ->set("align", VIPS_ALIGN_CENTRE));
    const int left = 80;
    const int top = std::max(0, (kSide - mask.height()) / 2);
    img.draw_rect({245.0, 245.0, 240.0}, left - 40, top - 40, mask.width() + 80, mask.height() + 80,
                  vips::VImage::option()->set("fill", true));
    const vips::VImage placed = mask.embed(left, top, kSide, kSide);
    const std::vector<double> ink = {static_cast<double>(byte(rng) / 4),
                                     static_cast<double>(byte(rng) / 4),
                                     static_cast<double>(byte(rng) / 4)};
    img =
        placed.ifthenelse(img.new_from_image(ink), img, vips::VImage::option()->set("blend", true))
            .cast(VIPS_FORMAT_UCHAR);
  }
  input.jpeg = to_jpeg(img);
  input.text = make_words(rng, 30);
  return input;
}

// The reference: what libvips alone does for a 320 px JPEG thumbnail.
std::size_t baseline_thumbnail(const std::string& jpeg) {
  VipsBlob* blob = vips_blob_new(nullptr, jpeg.data(), jpeg.size());
  const vips::VImage thumb = vips::VImage::thumbnail_buffer(blob, adloom::kThumbSide);
  vips_area_unref(VIPS_AREA(blob));
  void* buf = nullptr;
  std::size_t size = 0;
  thumb.write_to_buffer(".jpg", &buf, &size);
  g_free(buf);
  return size;
}

struct Stats {
  std::string stage;
  std::size_t images = 0;
  double total_ms = 0;
  double median_ms = 0;
  double p90_ms = 0;
  double rate() const { return total_ms > 0 ? 1000.0 * static_cast<double>(images) / total_ms : 0; }
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  // Nearest rank.
  const auto rank =
      static_cast<std::size_t>(std::max(1.0, std::ceil(p * static_cast<double>(v.size()))));
  return v[std::min(rank, v.size()) - 1];
}

Stats summarise(std::string stage, const std::vector<double>& ms) {
  Stats s;
  s.stage = std::move(stage);
  s.images = ms.size();
  for (const double m : ms) s.total_ms += m;
  if (!ms.empty()) {
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    s.median_ms = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
  s.p90_ms = percentile(ms, 0.9);
  return s;
}

// Times fn(i) for each index in `which`, one call at a time; returns milliseconds per call.
std::vector<double> time_each(const std::vector<std::size_t>& which,
                              const std::function<void(std::size_t)>& fn) {
  std::vector<double> ms;
  ms.reserve(which.size());
  for (const std::size_t i : which) {
    const auto t0 = Clock::now();
    fn(i);
    const auto t1 = Clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  return ms;
}

std::vector<std::size_t> pick(const std::vector<Input>& inputs, int mode) {
  // mode 0: all, 1: with text, 2: without text
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (mode == 0 || (mode == 1) == inputs[i].has_text) out.push_back(i);
  }
  return out;
}

int parse_images(int argc, char** argv) {
  int n = 64;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--images" && i + 1 < argc) {
      n = std::atoi(argv[++i]);
    } else if (arg.rfind("--images=", 0) == 0) {
      n = std::atoi(argv[i] + std::strlen("--images="));
    } else if (arg == "-h" || arg == "--help") {
      std::printf("usage: adloom_bench_ingest [--images N]   (default 64)\n");
      std::exit(0);
    } else {
      die("unknown argument: " + std::string(arg) + " (try --help)");
    }
  }
  if (n < 1) die("--images must be at least 1");
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = parse_images(argc, argv);
  if (const adloom::Status st = adloom::init_imaging(); !st.is_ok()) die(st.message());

  std::printf("generating %d distinct %d×%d JPEGs (every 4th with text)...\n", n, kSide, kSide);
  std::vector<Input> inputs;
  inputs.reserve(static_cast<std::size_t>(n));
  std::size_t total_bytes = 0;
  try {
    for (int i = 0; i < n; ++i) {
      inputs.push_back(make_input(i));
      total_bytes += inputs.back().jpeg.size();
    }
  } catch (const vips::VError& e) {
    die(std::string("making inputs: ") + e.what());
  }
  const auto all = pick(inputs, 0);
  const auto with_text = pick(inputs, 1);
  const auto without_text = pick(inputs, 2);
  std::printf("inputs: %zu images (%zu with text), mean %.0f KiB\n", inputs.size(),
              with_text.size(), static_cast<double>(total_bytes) / 1024.0 / inputs.size());

  adloom::BuiltinAnalyser analyser;
  auto embedder = must(adloom::BuiltinEmbedder::create({}), "BuiltinEmbedder::create");
  const adloom::IntakeLimits limits;
  const adloom::AnalyseOptions no_ocr{.ocr = false};
  const adloom::AnalyseOptions with_ocr{.ocr = true};

  // Intake, as LibraryService::add_asset does it (without the blob and database writes):
  // the preview is what analysis sees, the thumbnail what the builtin embedder sees
  // (IndexAssetHandler picks the rendition by Embedder::image_side).
  struct Stored {
    std::string thumb;
    std::string preview;
  };
  auto intake = [&](const std::string& jpeg) {
    const auto info = must(adloom::probe_image(jpeg, limits), "probe_image");
    auto r = must(adloom::make_renditions(jpeg, info), "make_renditions");
    return Stored{std::move(r.thumb.bytes), r.preview ? std::move(r.preview->bytes) : jpeg};
  };
  auto embed = [&](const Input& in, const std::string& thumb) {
    return must(embedder->embed({.text = in.text, .image = thumb}, {}), "embed");
  };

  // Warm-up (engine init: libvips loaders, Tesseract pool, fonts), not timed.
  {
    const Input& warm = inputs[with_text.empty() ? 0 : with_text.front()];
    baseline_thumbnail(warm.jpeg);
    const Stored stored = intake(warm.jpeg);
    must(analyser.analyse(stored.preview, no_ocr, {}), "analyse");
    must(analyser.analyse(stored.preview, with_ocr, {}), "analyse");
    embed(warm, stored.thumb);
  }

  std::vector<Stats> rows;

  rows.push_back(
      summarise("baseline: vips thumbnail 320 + jpeg",
                time_each(all, [&](std::size_t i) { baseline_thumbnail(inputs[i].jpeg); })));

  std::vector<Stored> stored(inputs.size());
  rows.push_back(summarise("intake: probe + renditions", time_each(all, [&](std::size_t i) {
                             stored[i] = intake(inputs[i].jpeg);
                           })));

  rows.push_back(summarise("analyse, no OCR", time_each(all, [&](std::size_t i) {
                             must(analyser.analyse(stored[i].preview, no_ocr, {}), "analyse");
                           })));

  int ocr_ran_text = 0;
  int ocr_found_text = 0;
  int ocr_ran_notext = 0;
  rows.push_back(summarise("analyse, OCR on (with text)", time_each(with_text, [&](std::size_t i) {
                             const auto a =
                                 must(analyser.analyse(stored[i].preview, with_ocr, {}), "analyse");
                             ocr_ran_text += a.ocr_ran ? 1 : 0;
                             ocr_found_text += a.ocr_text.empty() ? 0 : 1;
                           })));
  // The OCR-cost goal compares like with like: each image without text is analysed with
  // OCR off and on back to back, so machine load drifts equally on both sides.
  std::vector<double> off_ms;
  std::vector<double> on_ms;
  for (const std::size_t i : without_text) {
    off_ms.push_back(time_each({i}, [&](std::size_t k) {
                       must(analyser.analyse(stored[k].preview, no_ocr, {}), "analyse");
                     }).front());
    on_ms.push_back(time_each({i}, [&](std::size_t k) {
                      const auto a =
                          must(analyser.analyse(stored[k].preview, with_ocr, {}), "analyse");
                      ocr_ran_notext += a.ocr_ran ? 1 : 0;
                    }).front());
  }
  const Stats noocr_notext = summarise("analyse, no OCR (no-text images)", off_ms);
  const Stats ocr_notext = summarise("analyse, OCR on (without text)", on_ms);
  rows.push_back(ocr_notext);

  rows.push_back(summarise("embed: ~30 words + thumbnail", time_each(all, [&](std::size_t i) {
                             embed(inputs[i], stored[i].thumb);
                           })));

  const Stats pipeline_noocr =
      summarise("pipeline, no OCR (2+3+5)", time_each(all, [&](std::size_t i) {
                  const Stored s = intake(inputs[i].jpeg);
                  must(analyser.analyse(s.preview, no_ocr, {}), "analyse");
                  embed(inputs[i], s.thumb);
                }));
  rows.push_back(pipeline_noocr);
  rows.push_back(summarise("pipeline, OCR on (2+4+5)", time_each(all, [&](std::size_t i) {
                             const Stored s = intake(inputs[i].jpeg);
                             must(analyser.analyse(s.preview, with_ocr, {}), "analyse");
                             embed(inputs[i], s.thumb);
                           })));

  const double base_rate = rows.front().rate();
  std::printf("\n%-38s %6s %10s %10s %10s %16s\n", "stage", "images", "images/s", "median ms",
              "p90 ms", "vs baseline");
  std::printf("%s\n", std::string(95, '-').c_str());
  for (const Stats& s : rows) {
    std::printf("%-38s %6zu %10.1f %10.1f %10.1f %15.2f×\n", s.stage.c_str(), s.images, s.rate(),
                s.median_ms, s.p90_ms, base_rate > 0 ? s.rate() / base_rate : 0.0);
  }
  std::printf("\nOCR ran on %d/%zu images with text (text found on %d) and %d/%zu without.\n",
              ocr_ran_text, with_text.size(), ocr_found_text, ocr_ran_notext, without_text.size());

  const double pipeline_ratio = base_rate > 0 ? pipeline_noocr.rate() / base_rate : 0;
  const bool goal1 = pipeline_ratio >= 0.5;
  std::printf("\npipeline without OCR ≥ 0.5× baseline: %s (%.2f×)\n", goal1 ? "PASS" : "FAIL",
              pipeline_ratio);
  // Like for like: the same no-text images, median per image, OCR on vs off.
  const double cost_ratio =
      noocr_notext.median_ms > 0 ? ocr_notext.median_ms / noocr_notext.median_ms : 0;
  const bool goal2 = without_text.empty() || cost_ratio <= 1.10;
  std::printf(
      "OCR on images without text costs no more than without OCR (within 10%%): %s "
      "(median %.1f ms vs %.1f ms, %.2f×)\n",
      goal2 ? "PASS" : "FAIL", ocr_notext.median_ms, noocr_notext.median_ms, cost_ratio);
  return 0;
}
