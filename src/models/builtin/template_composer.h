// TemplateComposer: the built-in, offline TextModel ("builtin", model builtin:template-v1).
// It reads no prose: it composes the meta-prompt from TextRequest::input_json (the
// meta-prompt inputs of models/meta_prompt.h) with fixed art-direction rules
// (prompt_plan.h) rendered through mustache templates, and answers meta_prompt_json().
//
// Templates: prompt, variant, negative and reasoning (default_templates.cpp documents
// their variables, as does docs/meta-prompt-templates.md). A file <dir>/<name>.mustache
// overrides the built-in template of that name.
//
// Every answer holds, whatever the inputs and templates:
// - no banned term of the brand kit in the prompt, negative prompt, reasoning, structure,
//   or any variant's name, axis and prompt (banned_terms_in() finds none);
// - when max_prompt_chars > 0, every prompt (main and variants) and the negative prompt
//   fits: optional parts are left out, least important first (prompt_plan::fit_steps),
//   and only when even the minimal prompt is too long is it cut at a word boundary;
// - `variants` (0..24) choices that differ pairwise, and prompts that differ pairwise as
//   long as the limit leaves room for the choices' short phrases (about 80 characters);
// - the same inputs give the same answer (no randomness, no clock).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "models/meta_prompt.h"
#include "models/text_model.h"

namespace adloom {

constexpr const char* kTemplateComposerModel = "builtin:template-v1";

class TemplateComposer final : public TextModel {
 public:
  // The built-in templates only.
  TemplateComposer();

  // The templates of `templates_dir` ("" for none): <dir>/<name>.mustache overrides the
  // default of that name; missing files keep the defaults. The templates are read and
  // checked now (compiled, then used on a sample brief) and never re-read.
  // kInvalidArgument naming the file and mustache's message when a file is unreadable,
  // larger than 64 KiB or not a valid template, or renders an empty prompt.
  static Result<std::unique_ptr<TemplateComposer>> open(const std::string& templates_dir);

  // Writes each default template to <dir>/<name>.mustache unless a file of that name
  // exists (an edited template is never overwritten); creates `dir`. kInternal naming the
  // path when the directory or a file cannot be written.
  static Status write_default_templates(const std::string& dir);

  std::string name() const override { return "builtin"; }

  // Thread safe: the templates are immutable after construction. Reads only
  // request.input_json. kInvalidArgument when it is not meta-prompt inputs; kInternal
  // when a template fails to render.
  Result<TextResponse> generate(const TextRequest& request, const ModelCall& call) override;

  // The meta-prompt for parsed inputs (what generate() answers, before JSON).
  Result<MetaPrompt> compose(const MetaPromptInputs& inputs) const;

 private:
  struct Template {
    std::string name;    // "prompt"
    std::string origin;  // the file it came from, or "the built-in prompt template"
    std::string text;
  };

  explicit TemplateComposer(std::vector<Template> templates);
  const Template& get(std::string_view name) const;

  std::vector<Template> templates_;  // one per default template name, in that order
};

}  // namespace adloom
