// SPDX-License-Identifier: Apache-2.0
#include "cli/app_shell.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/diagnostics_printer.hpp"
#include "base/messages.hpp"
#include "mobileconfigc/compile.hpp"

namespace mcc::cli {
namespace {

constexpr const char* kProgram = "mobileconfigc";

class HelpFormatter : public CLI::Formatter {
 public:
  // The type, default, "..." and REQUIRED; not CLI11's Needs:/Excludes: lists, which the
  // descriptions say in words where it matters.
  std::string make_option_opts(const CLI::Option* opt) const override {
    std::string out;
    if (opt->get_type_size() != 0) {
      if (!opt->get_type_name().empty()) out += " " + get_label(opt->get_type_name());
      if (!opt->get_default_str().empty()) out += "=" + opt->get_default_str();
      if (opt->get_expected_max() == CLI::detail::expected_max_vector_size && opt->get_allow_extra_args()) out += " ...";
      if (opt->get_required()) out += " " + get_label("REQUIRED");
    }
    return out;
  }
};

std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
  std::vector<const CLI::App*> out;
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; }))
    if (!s->get_group().empty()) out.push_back(s);
  return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// ---- the model the completion scripts are written from -------------------------------------

enum class Complete { nothing, files, directories, words, graph_types };

struct OptionModel {
  std::vector<std::string> longs;   // without "--"
  std::vector<std::string> shorts;  // without "-"
  bool takes_value = false;
  bool repeatable = false;
  Complete complete = Complete::nothing;
  std::vector<std::string> words;
  std::string description;
};

struct CommandModel {
  std::string name;
  std::string description;
  std::vector<OptionModel> options;
  Complete positional = Complete::nothing;
  std::vector<std::string> positional_words;
};

std::vector<std::string> choices_of(const std::string& type_name) {
  std::vector<std::string> out;
  auto open = type_name.find('{');
  auto close = type_name.find('}', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) return out;
  std::stringstream list(type_name.substr(open + 1, close - open - 1));
  for (std::string item; std::getline(list, item, ',');) out.push_back(item);
  return out;
}

OptionModel model_option(const CLI::Option* o) {
  OptionModel m;
  m.longs = o->get_lnames();
  m.shorts = o->get_snames();
  m.description = o->get_description();
  m.takes_value = o->get_expected_max() != 0;
  m.repeatable = o->get_expected_max() == CLI::detail::expected_max_vector_size;
  if (!m.takes_value) return m;
  const std::string type = o->get_type_name();
  m.words = choices_of(type);
  if (!m.words.empty()) m.complete = Complete::words;
  else if (std::find(m.longs.begin(), m.longs.end(), "type") != m.longs.end()) m.complete = Complete::graph_types;
  else if (type.find("DIR") != std::string::npos) m.complete = Complete::directories;
  else if (type.rfind("UINT", 0) == 0 || type.rfind("INT", 0) == 0 || type == "TIME") m.complete = Complete::nothing;
  else m.complete = Complete::files;
  return m;
}

std::vector<CommandModel> model(const CLI::App& app) {
  std::vector<CommandModel> out;
  std::vector<std::string> names;
  for (const CLI::App* s : visible_subcommands(app)) names.push_back(s->get_name());
  for (const CLI::App* s : visible_subcommands(app)) {
    CommandModel c;
    c.name = s->get_name();
    c.description = s->get_description();
    for (const CLI::Option* o : s->get_options([](const CLI::Option*) { return true; })) {
      if (o->nonpositional()) {
        c.options.push_back(model_option(o));
        continue;
      }
      if (c.name == "explain") c.positional = Complete::graph_types;
      else if (c.name == "help") c.positional = Complete::words, c.positional_words = names;
      else c.positional = Complete::files;
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string join(const std::vector<std::string>& items, const std::string& sep, const std::string& prefix = "") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + prefix + i;
  return out;
}

std::vector<std::string> spellings(const OptionModel& o) {
  std::vector<std::string> out;
  for (const auto& s : o.shorts) out.push_back("-" + s);
  for (const auto& l : o.longs) out.push_back("--" + l);
  return out;
}

// ---- bash ----------------------------------------------------------------------------------

std::string bash_reply(Complete how, const std::vector<std::string>& words) {
  switch (how) {
    case Complete::files: return "compopt -o filenames 2>/dev/null || true; mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")";
    case Complete::directories: return "compopt -o filenames 2>/dev/null || true; mapfile -t COMPREPLY < <(compgen -d -- \"$cur\")";
    case Complete::words: return "COMPREPLY=($(compgen -W \"" + join(words, " ") + "\" -- \"$cur\"))";
    case Complete::graph_types: return "COMPREPLY=($(compgen -W \"$types\" -- \"$cur\"))";
    case Complete::nothing: return "COMPREPLY=()";
  }
  return "COMPREPLY=()";
}

std::string bash(const CLI::App& app, const std::vector<CommandModel>& commands, const std::vector<std::string>& types) {
  std::vector<std::string> names;
  for (const auto& c : commands) names.push_back(c.name);
  std::ostringstream s;
  s << "# bash completion for mobileconfigc; generated by `mobileconfigc completion bash`\n"
    << "_mobileconfigc() {\n"
    << "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\" sub=\"\" i=1\n"
    << "  [ \"$COMP_CWORD\" -gt 0 ] && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
    << "  local types=\"" << join(types, " ") << "\"\n"
    << "  while [ \"$i\" -lt \"$COMP_CWORD\" ]; do\n"
    << "    case \"${COMP_WORDS[i]}\" in -*) ;; *) sub=\"${COMP_WORDS[i]}\"; break ;; esac\n"
    << "    i=$((i + 1))\n"
    << "  done\n"
    << "  case \"$sub\" in\n"
    << "    \"\")\n"
    << "      case \"$cur\" in\n"
    << "        -*) COMPREPLY=($(compgen -W \"--help -h --version\" -- \"$cur\")) ;;\n"
    << "        *) COMPREPLY=($(compgen -W \"" << join(names, " ") << "\" -- \"$cur\")) ;;\n"
    << "      esac ;;\n";
  for (const auto& c : commands) {
    s << "    " << c.name << ")\n      case \"$prev\" in\n";
    std::vector<std::string> all;
    for (const auto& o : c.options) {
      auto sp = spellings(o);
      all.insert(all.end(), sp.begin(), sp.end());
      if (o.takes_value) s << "        " << join(sp, "|") << ") " << bash_reply(o.complete, o.words) << "; return ;;\n";
    }
    s << "      esac\n"
      << "      case \"$cur\" in\n"
      << "        -*) COMPREPLY=($(compgen -W \"" << join(all, " ") << "\" -- \"$cur\")) ;;\n"
      << "        *) " << bash_reply(c.positional, c.positional_words) << " ;;\n"
      << "      esac ;;\n";
  }
  s << "  esac\n"
    << "}\n"
    << "complete -F _mobileconfigc mobileconfigc\n";
  (void)app;
  return s.str();
}

// ---- zsh -----------------------------------------------------------------------------------

std::string zsh_text(const std::string& text) {  // inside '...[text]' of an _arguments spec
  std::string out;
  for (char ch : text) {
    if (ch == '\'') out += "'\\''";
    else if (ch == '[' || ch == ']' || ch == ':' || ch == '\\') out += std::string("\\") + ch;
    else out += ch;
  }
  return out;
}

std::string zsh_action(Complete how, const std::vector<std::string>& words, const std::vector<std::string>& types) {
  switch (how) {
    case Complete::files: return "_files";
    case Complete::directories: return "_files -/";
    case Complete::words: return "(" + join(words, " ") + ")";
    case Complete::graph_types: return "(" + join(types, " ") + ")";
    case Complete::nothing: return " ";
  }
  return " ";
}

std::string zsh(const std::vector<CommandModel>& commands, const std::vector<std::string>& types) {
  std::ostringstream s;
  s << "#compdef mobileconfigc\n"
    << "# zsh completion for mobileconfigc; generated by `mobileconfigc completion zsh`\n"
    << "_mobileconfigc() {\n"
    << "  local curcontext=\"$curcontext\" state line ret=1\n"
    << "  local -a commands\n"
    << "  commands=(\n";
  for (const auto& c : commands) s << "    '" << c.name << ":" << zsh_text(c.description) << "'\n";
  s << "  )\n"
    << "  _arguments -C '(- *)'{-h,--help}'[Print help and exit]' '(- *)--version[Print the version and exit]' \\\n"
    << "    '1:command:->command' '*::argument:->argument' && ret=0\n"
    << "  case $state in\n"
    << "    command) _describe -t commands 'mobileconfigc command' commands && ret=0 ;;\n"
    << "    argument)\n"
    << "      case $words[1] in\n";
  for (const auto& c : commands) {
    s << "        " << c.name << ")\n          _arguments -s";
    for (const auto& o : c.options) {
      auto sp = spellings(o);
      std::string spec;
      std::string head = o.repeatable ? "*" : "";
      std::string tail = "[" + zsh_text(o.description) + "]";
      if (o.takes_value) tail += ":value:" + zsh_action(o.complete, o.words, types);
      if (sp.size() == 1) {
        spec = "'" + head + sp[0] + tail + "'";
      } else {
        std::string group = o.repeatable ? "" : "'(" + join(sp, " ") + ")'";
        spec = group + "'" + head + "'{" + join(sp, ",") + "}'" + tail + "'";
      }
      s << " \\\n            " << spec;
    }
    if (c.positional != Complete::nothing)
      s << " \\\n            '*:argument:" << zsh_action(c.positional, c.positional_words, types) << "'";
    s << " && ret=0 ;;\n";
  }
  s << "      esac ;;\n"
    << "  esac\n"
    << "  return ret\n"
    << "}\n"
    << "if [ \"$funcstack[1]\" = \"_mobileconfigc\" ]; then\n"
    << "  _mobileconfigc \"$@\"\n"
    << "else\n"
    << "  compdef _mobileconfigc mobileconfigc\n"
    << "fi\n";
  return s.str();
}

// ---- fish ----------------------------------------------------------------------------------

std::string fish_quote(const std::string& text) {
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\'' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "'";
}

std::string fish(const std::vector<CommandModel>& commands, const std::vector<std::string>& types) {
  std::vector<std::string> names;
  for (const auto& c : commands) names.push_back(c.name);
  std::ostringstream s;
  s << "# fish completion for mobileconfigc; generated by `mobileconfigc completion fish`\n"
    << "complete -c mobileconfigc -f\n"
    << "complete -c mobileconfigc -n __fish_use_subcommand -s h -l help -d 'Print help and exit'\n"
    << "complete -c mobileconfigc -n __fish_use_subcommand -l version -d 'Print the version and exit'\n";
  for (const auto& c : commands)
    s << "complete -c mobileconfigc -n __fish_use_subcommand -a " << c.name << " -d " << fish_quote(c.description) << "\n";
  for (const auto& c : commands) {
    std::string when = " -n " + fish_quote("__fish_seen_subcommand_from " + c.name);
    for (const auto& o : c.options) {
      s << "complete -c mobileconfigc" << when;
      for (const auto& sh : o.shorts) s << " -s " << sh;
      for (const auto& l : o.longs) s << " -l " << l;
      if (o.takes_value) {
        switch (o.complete) {
          case Complete::files: s << " -r -F"; break;
          case Complete::directories: s << " -r -a '(__fish_complete_directories)'"; break;
          case Complete::words: s << " -x -a " << fish_quote(join(o.words, " ")); break;
          case Complete::graph_types: s << " -x -a " << fish_quote(join(types, " ")); break;
          case Complete::nothing: s << " -x"; break;
        }
      }
      s << " -d " << fish_quote(o.description) << "\n";
    }
    switch (c.positional) {
      case Complete::files: s << "complete -c mobileconfigc" << when << " -F\n"; break;
      case Complete::directories: break;
      case Complete::words: s << "complete -c mobileconfigc" << when << " -a " << fish_quote(join(c.positional_words, " ")) << "\n"; break;
      case Complete::graph_types: s << "complete -c mobileconfigc" << when << " -a " << fish_quote(join(types, " ")) << "\n"; break;
      case Complete::nothing: break;
    }
  }
  return s.str();
}

}  // namespace

namespace {

struct Selection {
  bool all = true;
  std::string only;  // with !all: the command registered in full ("" for none)
};

Selection& selection() {
  static Selection s;
  return s;
}

}  // namespace

void select_commands(int argc, const char* const* argv) {
  Selection& s = selection();
  s = Selection{};
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    s.all = false;
    return;
  }
  // As reject_unknown_subcommand reads it: the first word that is not an option.
  if (argc < 2 || argv[1][0] == '-' || argv[1][0] == '\0') return;  // an option first (--help, --version, --): all
  const std::string_view word = argv[1];
  if (word == "help" || word == "completion") return;  // they read every command's options
  s.all = false;
  s.only = word;
}

void select_all_commands() { selection() = Selection{}; }

bool registers_in_full(const CLI::App& command) {
  const Selection& s = selection();
  return s.all || command.get_name() == s.only;
}

bool selection_holds(const CLI::App& app, int argc, const char* const* argv) {
  if (selection().all) return true;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (registers_in_full(*sub)) continue;
    for (int i = 1; i < argc; ++i)
      if (sub->get_name() == argv[i]) return false;
  }
  return true;
}

void set_help_format(CLI::App& app) {
  auto formatter = std::make_shared<HelpFormatter>();
  formatter->column_width(34);
  app.formatter(formatter);
}

std::string completion_script(const CLI::App& app, const std::string& shell, const std::vector<std::string>& graph_types) {
  auto commands = model(app);
  if (shell == "bash") return bash(app, commands, graph_types);
  if (shell == "zsh") return zsh(commands, graph_types);
  if (shell == "fish") return fish(commands, graph_types);
  return {};
}

void add_report_options(CLI::App& app) {
  ReportPolicy& policy = report_policy();
  for (CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (s->get_name() == "help" || s->get_name() == "completion" || !registers_in_full(*s)) continue;
    s->add_flag("-q,--quiet", policy.quiet, "No warnings, notes or \"wrote\" lines (errors still print)");
    s->add_flag("--warnings-as-errors", policy.warnings_as_errors, "Exit 1 when any warning was given");
  }
}

void register_shell_commands(CLI::App& app, int& exit_code) {
  auto topic = std::make_shared<std::string>();
  CLI::App* help = app.add_subcommand("help", "Show the help of mobileconfigc or of one of its commands");
  auto shell = std::make_shared<std::string>();
  CLI::App* completion = app.add_subcommand("completion", "Print a shell completion script");
  completion->group("");  // hidden: the packages install the scripts; this regenerates them
  if (!registers_in_full(*help)) return;  // both run only with every command in full
  help->add_option("command", *topic, "The command to explain");
  help->callback([&app, topic, &exit_code] {
    if (topic->empty()) {
      std::cout << app.get_formatter()->make_help(&app, kProgram, CLI::AppFormatMode::Normal);
      exit_code = kOk;
      return;
    }
    for (const CLI::App* s : visible_subcommands(app)) {
      if (s->get_name() != *topic) continue;
      std::cout << s->help(kProgram);
      exit_code = kOk;
      return;
    }
    std::cerr << kProgram << ": '" << *topic << "' is not a " << kProgram << " command. See '" << kProgram << " --help'.\n";
    exit_code = kUsageError;
  });

  completion->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  completion->callback([&app, shell, &exit_code] {
    Diagnostics diags;
    auto compiler = Compiler::create(std::nullopt, diags);
    std::vector<std::string> types = compiler ? compiler->supported_types() : std::vector<std::string>{};
    std::cout << completion_script(app, *shell, types);
    exit_code = kOk;
  });
}

bool reject_unknown_subcommand(const CLI::App& app, int argc, const char* const* argv) {
  // The top level has no option that takes a value, so the first word that is not an option
  // is the subcommand.
  std::string word;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") break;
    if (!a.empty() && a[0] == '-') continue;
    word = a;
    break;
  }
  if (word.empty()) return false;
  std::vector<std::string> names;
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (s->get_name() == word) return false;
    if (!s->get_group().empty()) names.push_back(s->get_name());
  }
  std::cerr << kProgram << ": '" << escape_for_display(word) << "' is not a " << kProgram << " command. See '" << kProgram
            << " --help'.\n";
  std::vector<std::string> close;
  std::size_t best = 3;
  for (const auto& n : names) {
    std::size_t d = edit_distance(word, n);
    if (d < best) best = d, close.clear();
    if (d == best && d < 3) close.push_back(n);
  }
  if (!close.empty()) {
    std::cerr << "\nThe most similar command" << (close.size() > 1 ? "s are" : " is") << "\n";
    for (const auto& n : close) std::cerr << "\t" << n << "\n";
  }
  return true;
}

}  // namespace mcc::cli
