// SPDX-License-Identifier: Apache-2.0
// The command line as scripts and shells meet it (issue 16): one value per option use,
// `help SUBCOMMAND`, git's answer to an unknown command, and completion scripts generated
// from the live option definitions.

#include <cstdlib>

#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

class Shell : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_scratch_dir("shell"); }
  void TearDown() override { fs::remove_all(dir_); }
  RunResult run(const std::string& args) { return run_binary(args, dir_); }
  std::string sample() const { return (source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json").string(); }

  // Output of a shell snippet run with `bash` (or another shell) in the scratch directory.
  RunResult shell(const std::string& program, const std::string& script) {
    write_file(dir_ / "script", script);
    const auto out = dir_ / ".out", err = dir_ / ".err";
    std::string cmd = "cd " + dir_.string() + " && " + program + " script >" + out.string() + " 2>" + err.string();
    int status = std::system(cmd.c_str());
    RunResult r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
    fs::remove(out);
    fs::remove(err);
    return r;
  }
  fs::path dir_;
};

TEST_F(Shell, VarTakesOneValueSoTheInputsAfterItStayInputs) {
  write_file(dir_ / "vars.json", R"({"UserName": "jdoe"})");
  auto r = run("compile --var A=1 --var B=2 --vars " + (dir_ / "vars.json").string() + " " + sample() + " -o " +
               (dir_ / "a.mobileconfig").string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "a.mobileconfig"));
  auto link = run("compile --link nothing=nowhere " + sample() + " -o " + (dir_ / "b.mobileconfig").string());
  EXPECT_EQ(link.err.find("inputs is required"), std::string::npos) << link.err;
  EXPECT_NE(link.code, 2) << link.err;
}

TEST_F(Shell, HelpSubcommandPrintsThatCommandsHelp) {
  auto r = run("help compile");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Usage: mobileconfigc compile [OPTIONS] inputs..."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--out-dir"), std::string::npos) << r.out;
  auto top = run("help");
  EXPECT_EQ(top.code, 0) << top.err;
  EXPECT_NE(top.out.find("Usage: mobileconfigc [OPTIONS] SUBCOMMAND"), std::string::npos) << top.out;
  EXPECT_NE(top.out.find("validate"), std::string::npos) << top.out;
  EXPECT_EQ(top.out.find("completion"), std::string::npos) << "hidden command listed\n" << top.out;
  auto bad = run("help frobnicate");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("'frobnicate' is not a mobileconfigc command"), std::string::npos) << bad.err;
}

TEST_F(Shell, HelpNamesTheProgramAndHidesCli11Clutter) {
  auto r = run("compile --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Usage: mobileconfigc compile"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Excludes:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Needs:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("--var TEXT ..."), std::string::npos) << "--var takes one value per use\n" << r.out;
}

// A command line that runs one command sets up that command's options alone; one that may
// reach another, every command's. What the user sees is the same either way: a command's
// help (`X --help`: X alone; `help X`: all), the usage error for a misspelt option (alone,
// and with a value spelt like another command, which sets up all), the top-level help.
TEST_F(Shell, OneCommandOrEveryCommandSetUpTheSameForTheUser) {
  for (const char* cmd : {"compile", "sign", "verify", "inspect", "unsign", "encrypt", "decrypt", "explain", "validate",
                          "decompile"}) {
    auto alone = run(std::string(cmd) + " --help");
    auto all = run(std::string("help ") + cmd);
    EXPECT_EQ(alone.code, 0) << cmd;
    EXPECT_EQ(alone.out, all.out) << cmd;
    EXPECT_NE(alone.out.find(std::string("Usage: mobileconfigc ") + cmd), std::string::npos) << alone.out;
  }
  auto misspelt = run("compile " + sample() + " --outptu x.mobileconfig");
  EXPECT_EQ(misspelt.code, 2);
  EXPECT_EQ(misspelt.err, "The following argument was not expected: --outptu\nRun with --help for more information.\n");
  auto misspelt_all = run("compile --type verify " + sample() + " --outptu x.mobileconfig");
  EXPECT_EQ(misspelt_all.code, 2);
  EXPECT_EQ(misspelt_all.err, misspelt.err);
  auto second = run("verify " + sample() + " compile");  // a second command word is refused as before
  EXPECT_EQ(second.code, 2);
  EXPECT_EQ(second.err, "The following argument was not expected: compile\nRun with --help for more information.\n");

  auto top = run("--help");
  EXPECT_EQ(top.code, 0);
  EXPECT_EQ(run("-h").out, top.out);
  EXPECT_EQ(run("help").out, top.out);
  EXPECT_EQ(run("--help compile").out, run("help compile").out);
  for (const char* line : {"Compile Graph JSON files into one configuration profile\n",
                           "Check a signed profile's signature and its certificate chain\n",
                           "Turn configuration profiles back into Intune Graph objects\n"})
    EXPECT_NE(top.out.find(line), std::string::npos) << line << top.out;
  auto v = run("--version");  // no command: none set up
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out, std::string("mobileconfigc ") + version() + "\n");
}

TEST_F(Shell, UnknownSubcommandIsNamedWithTheMostSimilarOne) {
  auto r = run("compil x.json");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "mobileconfigc: 'compil' is not a mobileconfigc command. See 'mobileconfigc --help'.\n\n"
                   "The most similar command is\n\tcompile\n");
  auto far = run("frobnicate");
  EXPECT_EQ(far.code, 2);
  EXPECT_EQ(far.err, "mobileconfigc: 'frobnicate' is not a mobileconfigc command. See 'mobileconfigc --help'.\n");
}

TEST_F(Shell, BashCompletionCompletesCommandsOptionsTypesAndFiles) {
  auto gen = run("completion bash");
  ASSERT_EQ(gen.code, 0) << gen.err;
  write_file(dir_ / "completion.bash", gen.out);
  write_file(dir_ / "in.json", "{}");
  auto r = shell("bash", R"(set -eo pipefail
source ./completion.bash
complete -p mobileconfigc
complete_words() {  # LABEL WORD... ('' = a new word): prints "LABEL candidate" lines
  local label=$1; shift
  COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
  _mobileconfigc mobileconfigc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  local c; for c in "${COMPREPLY[@]}"; do printf '%s %s\n' "$label" "$c"; done
}
complete_words commands mobileconfigc ''
complete_words types mobileconfigc explain ios
complete_words formats mobileconfigc compile --format ''
complete_words files mobileconfigc compile --var A=1 i
complete_words options mobileconfigc compile --out
)");
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  for (const char* want : {"complete -F _mobileconfigc mobileconfigc\n", "commands compile\n", "commands validate\n",
                           "commands help\n", "types iosikEv2VpnConfiguration\n", "formats binary\n", "formats xml\n",
                           "files in.json\n", "options --out-dir\n", "options --output\n"})
    EXPECT_NE(r.out.find(want), std::string::npos) << want << "\n" << r.out;
  EXPECT_EQ(r.out.find("commands completion\n"), std::string::npos) << r.out;
}

TEST_F(Shell, ZshAndFishCompletionsParseAndComplete) {
  for (const char* sh : {"zsh", "fish"}) {
    auto gen = run(std::string("completion ") + sh);
    ASSERT_EQ(gen.code, 0) << gen.err;
    EXPECT_NE(gen.out.find("iosikEv2VpnConfiguration"), std::string::npos) << sh;
    EXPECT_NE(gen.out.find("out-dir"), std::string::npos) << sh;
    write_file(dir_ / (std::string("completion.") + sh), gen.out);
  }
  if (std::system("command -v zsh >/dev/null 2>&1") == 0) {
    auto z = shell("zsh -f", "zsh -n completion.zsh && echo syntax-ok\n"
                             "fpath=($PWD $fpath); cp completion.zsh _mobileconfigc\n"
                             "autoload -Uz compinit; compinit -u -d $PWD/zcompdump; print -r -- ${_comps[mobileconfigc]}\n");
    EXPECT_EQ(z.out, "syntax-ok\n_mobileconfigc\n") << z.err;
  }
  if (std::system("command -v fish >/dev/null 2>&1") == 0) {
    auto f = shell("fish --no-config", "source completion.fish\ncomplete -C 'mobileconfigc explain iosike'\n"
                                       "complete -C 'mobileconfigc compile --for'\ncomplete -C 'mobileconfigc va'\n");
    EXPECT_NE(f.out.find("iosikEv2VpnConfiguration"), std::string::npos) << f.out << f.err;
    EXPECT_NE(f.out.find("--format"), std::string::npos) << f.out << f.err;
    EXPECT_NE(f.out.find("validate"), std::string::npos) << f.out << f.err;
  }
}

TEST_F(Shell, ExplainAcceptsTheQualifiedGraphTypeName) {
  auto plain = run("explain iosikEv2VpnConfiguration");
  ASSERT_EQ(plain.code, 0) << plain.err;
  for (const char* name : {"'#microsoft.graph.iosikEv2VpnConfiguration'", "'#Microsoft.Graph.IOSIKEV2VPNCONFIGURATION'"}) {
    auto r = run(std::string("explain ") + name);
    EXPECT_EQ(r.code, 0) << name << "\n" << r.err;
    EXPECT_EQ(r.out, plain.out) << name;
  }
  EXPECT_EQ(run("explain '#microsoft.graph.'").code, 1);
}

TEST_F(Shell, UnknownCompletionShellIsAUsageError) { EXPECT_EQ(run("completion tcsh").code, 2); }

}  // namespace
}  // namespace mcc::test
