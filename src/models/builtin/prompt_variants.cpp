// The variant and fitting half of prompt_plan.h: the parts of one choice of options, the
// deliberately different choices, and the steps that shorten a prompt.
#include <algorithm>
#include <array>
#include <tuple>

#include "models/builtin/prompt_plan.h"
#include "models/builtin/prompt_text.h"

namespace adloom::prompt_plan {
namespace {

namespace pv = prompt_vocabulary;
using prompt_text::join;
using prompt_text::join_and;

constexpr const char* kCopySpace = "clean space for the headline and call to action";

std::string label_of(pv::Axis axis, std::size_t index) {
  return std::string(pv::options(axis)[index].label);
}

std::size_t& axis_index(Triple& t, pv::Axis axis) {
  switch (axis) {
    case pv::Axis::kComposition: return t.composition;
    case pv::Axis::kLighting: return t.lighting;
    case pv::Axis::kStyle: return t.style;
  }
  return t.style;
}

constexpr std::array kAxes = {pv::Axis::kComposition, pv::Axis::kLighting, pv::Axis::kStyle};

std::string variant_name(const Triple& t) {
  return label_of(pv::Axis::kComposition, t.composition) + " \xC2\xB7 " +
         label_of(pv::Axis::kLighting, t.lighting) + " \xC2\xB7 " +
         label_of(pv::Axis::kStyle, t.style);
}

// Choices changing two or three axes, fewest changes and smallest steps first.
std::vector<std::pair<Triple, std::string>> combined_choices(const Triple& main) {
  struct Candidate {
    std::tuple<int, std::size_t, std::size_t, std::size_t, std::size_t> key;
    Triple choice;
    std::string axis;
  };
  std::vector<Candidate> all;
  const std::size_t nc = pv::options(pv::Axis::kComposition).size();
  const std::size_t nl = pv::options(pv::Axis::kLighting).size();
  const std::size_t ns = pv::options(pv::Axis::kStyle).size();
  for (std::size_t dc = 0; dc < nc; ++dc) {
    for (std::size_t dl = 0; dl < nl; ++dl) {
      for (std::size_t ds = 0; ds < ns; ++ds) {
        const int changed = (dc > 0) + (dl > 0) + (ds > 0);
        if (changed < 2) continue;
        std::vector<std::string> axes;
        if (dc > 0) axes.emplace_back("composition");
        if (dl > 0) axes.emplace_back("lighting");
        if (ds > 0) axes.emplace_back("style");
        const Triple t{(main.composition + dc) % nc, (main.lighting + dl) % nl,
                       (main.style + ds) % ns};
        all.push_back({{changed, dc + dl + ds, dc, dl, ds}, t, join_and(axes)});
      }
    }
  }
  std::sort(all.begin(), all.end(),
            [](const Candidate& a, const Candidate& b) { return a.key < b.key; });
  std::vector<std::pair<Triple, std::string>> out;
  out.reserve(all.size());
  for (auto& c : all) out.emplace_back(c.choice, std::move(c.axis));
  return out;
}

}  // namespace

Parts parts_for(const Plan& plan, const Triple& choice, bool compact) {
  Parts p = plan.base;
  const auto& c = pv::options(pv::Axis::kComposition)[choice.composition];
  const auto& l = pv::options(pv::Axis::kLighting)[choice.lighting];
  const auto& s = pv::options(pv::Axis::kStyle)[choice.style];
  if (compact) {
    p.composition = c.compact;
    p.lighting = l.compact;
    p.style = s.compact;
  } else {
    std::string scene(c.full);
    if (const auto at = scene.find("{people}"); at != std::string::npos) {
      scene.replace(at, 8, plan.people);
    }
    p.composition = join({scene, plan.frame.framing, kCopySpace}, ", ");
    p.lighting = l.full;
    p.style = s.full;
  }
  for (std::string* f : {&p.composition, &p.lighting, &p.style}) {
    *f = prompt_text::remove_banned(*f, plan.banned);
  }
  return p;
}

std::string compact_choice(const Triple& choice) {
  return join({std::string(pv::options(pv::Axis::kComposition)[choice.composition].compact),
               std::string(pv::options(pv::Axis::kLighting)[choice.lighting].compact),
               std::string(pv::options(pv::Axis::kStyle)[choice.style].compact)},
              ", ");
}

std::vector<VariantPlan> variant_plans(const Plan& plan, int count) {
  const auto n = static_cast<std::size_t>(std::clamp(count, 0, kMaxVariants));
  std::vector<VariantPlan> out;
  const auto add = [&](const Triple& t, std::string axis) {
    if (out.size() == n) return;
    for (const auto& v : out) {
      if (v.choice == t) return;
    }
    out.push_back({t, variant_name(t), std::move(axis)});
  };
  add(plan.main, "baseline");
  std::array<std::size_t, 3> step = {1, 1, 1};
  for (bool progress = true; progress && out.size() < n;) {
    progress = false;
    for (std::size_t a = 0; a < kAxes.size(); ++a) {
      const std::size_t size = pv::options(kAxes[a]).size();
      if (step[a] >= size) continue;
      Triple t = plan.main;
      axis_index(t, kAxes[a]) = (axis_index(t, kAxes[a]) + step[a]++) % size;
      add(t, std::string(pv::axis_name(kAxes[a])));
      progress = true;
    }
  }
  if (out.size() < n) {
    for (auto& [t, axis] : combined_choices(plan.main)) add(t, std::move(axis));
  }
  return out;
}

const std::vector<FitStep>& fit_steps() {
  static const std::vector<FitStep> kSteps = {
      {"reference details",
       [](Parts& p, const Plan&, const Triple&) {
         p.subject_details.clear();
         p.reference_scenes.clear();
         p.reference_look.clear();
       }},
      {"what-worked phrases", [](Parts& p, const Plan&, const Triple&) { p.worked.clear(); }},
      {"the audience", [](Parts& p, const Plan&, const Triple&) { p.audience.clear(); }},
      {"the setting", [](Parts& p, const Plan&, const Triple&) { p.setting.clear(); }},
      {"the mood", [](Parts& p, const Plan&, const Triple&) { p.mood.clear(); }},
      {"the brand's style words",
       [](Parts& p, const Plan&, const Triple&) { p.style_words.clear(); }},
      {"all but the first palette colours",
       [](Parts& p, const Plan& plan, const Triple&) {
         if (!p.palette.empty()) p.palette = plan.palette_compact;
       }},
      {"the long descriptions of composition, lighting and style",
       [](Parts& p, const Plan& plan, const Triple& t) {
         const Parts compact = parts_for(plan, t, /*compact=*/true);
         p.composition = compact.composition;
         p.lighting = compact.lighting;
         p.style = compact.style;
       }},
      {"the palette", [](Parts& p, const Plan&, const Triple&) { p.palette.clear(); }},
      {"the format", [](Parts& p, const Plan&, const Triple&) { p.format.clear(); }},
  };
  return kSteps;
}

}  // namespace adloom::prompt_plan
