// The built-in meta-prompt templates of the template composer (template_composer.h):
// mustache text compiled into the binary, written out for users to edit by
// TemplateComposer::write_default_templates(). Their variables are documented at the top
// of default_templates.cpp and in docs/meta-prompt-templates.md.
#pragma once

#include <span>
#include <string_view>

namespace adloom {

struct DefaultTemplate {
  std::string_view name;  // "prompt": the file is prompt.mustache
  std::string_view text;
};

// prompt, variant, negative and reasoning, in that order.
std::span<const DefaultTemplate> default_templates();

// The text of the default template `name`; "" for an unknown name.
std::string_view default_template(std::string_view name);

}  // namespace adloom
