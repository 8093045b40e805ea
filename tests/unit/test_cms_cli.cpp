// SPDX-License-Identifier: Apache-2.0
// `sign`, `verify` and `inspect` as a user drives them (in process, through CLI11),
// plus interoperability with the openssl command when it is installed.

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cli/commands.hpp"
#include "cli/diagnostics_printer.hpp"
#include "cli/sign_commands.hpp"
#include "mobileconfigc/sign.hpp"
#include "support/test_support.hpp"
#include "test_cms_pki.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

const std::string kProfile = R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>PayloadContent</key>
	<array>
		<dict>
			<key>IKEv2</key>
			<dict>
				<key>AuthenticationMethod</key>
				<string>SharedSecret</string>
				<key>RemoteAddress</key>
				<string>vpn.contoso.example</string>
				<key>SharedSecret</key>
				<string>hunter2-shared</string>
			</dict>
			<key>PayloadIdentifier</key>
			<string>com.contoso.vpn.ikev2</string>
			<key>PayloadType</key>
			<string>com.apple.vpn.managed</string>
			<key>PayloadUUID</key>
			<string>11111111-2222-3333-4444-555555555555</string>
			<key>UserDefinedName</key>
			<string>Contoso VPN</string>
			<key>VPNType</key>
			<string>IKEv2</string>
		</dict>
		<dict>
			<key>Password</key>
			<string>p12-password</string>
			<key>PayloadContent</key>
			<data>c2VjcmV0LWtleS1ieXRlcw==</data>
			<key>PayloadIdentifier</key>
			<string>com.contoso.identity</string>
			<key>PayloadType</key>
			<string>com.apple.security.pkcs12</string>
			<key>PayloadUUID</key>
			<string>66666666-7777-8888-9999-000000000000</string>
		</dict>
	</array>
	<key>PayloadDisplayName</key>
	<string>Contoso VPN</string>
	<key>PayloadIdentifier</key>
	<string>com.contoso.profile</string>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>
</plist>
)";

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

class CmsCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("mcc-cms-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    pki::write_files(dir_);
    write_file(dir_ / "profile.mobileconfig", kProfile);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  void SetUp() override { ::unsetenv("MOBILECONFIGC_SIGN_PASSPHRASE"); }
  void TearDown() override { ::unsetenv("MOBILECONFIGC_SIGN_PASSPHRASE"); }

  // File names in `args` (words with a dot) are relative to the test directory.
  static CliRun run(const std::vector<std::string>& args) {
    CLI::App app{"mobileconfigc"};
    app.require_subcommand(1);
    int exit_code = cli::kOk;
    cli::register_sign_commands(app, exit_code);
    cli::register_inspect_command(app, exit_code);
    cli::register_compile_command(app, exit_code);
    std::vector<std::string> words{"mobileconfigc"};
    for (const auto& a : args) words.push_back(a.rfind("-", 0) != 0 && a.find('.') != std::string::npos ? (dir_ / a).string() : a);
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    // Never a terminal on stdin: a missing passphrase must fail, not prompt.
    const int saved_stdin = ::dup(STDIN_FILENO);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, STDIN_FILENO);
    ::close(null_fd);
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    int code = 0;
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
      code = exit_code;
    } catch (const CLI::ParseError& e) {
      code = e.get_exit_code() == 0 ? 0 : cli::kUsageError;
    }
    std::cout.flush();
    std::fflush(stdout);
    std::string out = ::testing::internal::GetCapturedStdout();
    std::string err = ::testing::internal::GetCapturedStderr();
    ::dup2(saved_stdin, STDIN_FILENO);
    ::close(saved_stdin);
    return {code, out, err};
  }

  static CliRun sign(const std::string& out, std::vector<std::string> signing) {
    std::vector<std::string> args{"sign", "profile.mobileconfig", "-o", out};
    args.insert(args.end(), signing.begin(), signing.end());
    return run(args);
  }

  static std::string path(const std::string& name) { return (dir_ / name).string(); }
  static inline fs::path dir_;
};

TEST_F(CmsCli, SignThenVerifyAgainstTheRoot) {
  auto s = sign("signed.mobileconfig", {"--sign-cert", "signer.pem", "--sign-key", "signer.key", "--sign-chain", "intermediate.pem"});
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.err.find("signed " + path("signed.mobileconfig") + " (signer CN=Profile Signer RSA,O=mobileconfigc tests, 1 chain certificate)"),
            std::string::npos)
      << s.err;
  auto v = run({"verify", "signed.mobileconfig", "--ca", "root.pem"});
  EXPECT_EQ(v.code, 0) << v.err;
  EXPECT_TRUE(v.err.empty()) << v.err;
  for (const char* want : {": valid\n", "signer:     CN=Profile Signer RSA,O=mobileconfigc tests\n", "  key:      RSA 2048\n",
                           "[1] CN=Test Intermediate CA", "[2] CN=Test Root CA", "trust anchor", "digest:     SHA-256\n",
                           "trust:      chains to a trust anchor from 1 --ca file\n", "signed at:  "})
    EXPECT_NE(v.out.find(want), std::string::npos) << want << "\n" << v.out;
}

// Issue 16 item 6: a repeatable option takes one value per use, so the files after it stay
// inputs (they were swallowed: "profile is required").
TEST_F(CmsCli, SignChainAndCaTakeOneValueEach) {
  auto s = run({"sign", "--sign-cert", "signer.pem", "--sign-key", "signer.key", "--sign-chain", "intermediate.pem",
                "profile.mobileconfig", "-o", "ordered.mobileconfig"});
  ASSERT_EQ(s.code, 0) << s.err;
  auto v = run({"verify", "--ca", "root.pem", "ordered.mobileconfig"});
  EXPECT_EQ(v.code, 0) << v.err;
  EXPECT_NE(v.out.find("[1] CN=Test Intermediate CA"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("trust:      chains to a trust anchor from 1 --ca file\n"), std::string::npos) << v.out;
  auto twice = run({"verify", "--ca", "other-root.pem", "--ca", "root.pem", "ordered.mobileconfig"});
  EXPECT_EQ(twice.code, 0) << twice.err;
  EXPECT_NE(twice.out.find("from 2 --ca files"), std::string::npos) << twice.out;
}

TEST_F(CmsCli, VerifyWithoutAnchorsOrSystemStoreSaysIntegrityOnly) {
  ASSERT_EQ(sign("ec.mobileconfig", {"--sign-cert", "ec.pem", "--sign-key", "ec.key"}).code, 0);
  auto v = run({"verify", "--no-system-ca", "ec.mobileconfig"});
  EXPECT_EQ(v.code, 0) << v.err;
  EXPECT_NE(v.out.find("trust:      not checked (--no-system-ca and no --ca): signature integrity only"),
            std::string::npos)
      << v.out;
}

TEST_F(CmsCli, VerifyRejectsWrongAnchorTamperingAndUnsigned) {
  ASSERT_EQ(sign("v.mobileconfig", {"--sign-p12", "signer-nopass.p12"}).code, 0);
  auto wrong = run({"verify", "v.mobileconfig", "--ca", "other-root.pem"});
  EXPECT_EQ(wrong.code, 1);
  EXPECT_NE(wrong.err.find("error MCC-S012: the signer CN=Profile Signer RSA,O=mobileconfigc tests is not trusted"), std::string::npos)
      << wrong.err;
  EXPECT_NE(wrong.out.find(": not valid\n"), std::string::npos);

  std::string der = read_file(dir_ / "v.mobileconfig");
  der[der.find("vpn.contoso.example")] = 'V';
  write_file(dir_ / "tampered.mobileconfig", der);
  auto tampered = run({"verify", "tampered.mobileconfig", "--ca", "root.pem"});
  EXPECT_EQ(tampered.code, 1);
  EXPECT_NE(tampered.err.find("error MCC-S011"), std::string::npos) << tampered.err;

  auto unsigned_ok = run({"verify", "profile.mobileconfig"});
  EXPECT_EQ(unsigned_ok.code, 0);
  EXPECT_NE(unsigned_ok.err.find("warning MCC-S013: the profile is not signed"), std::string::npos) << unsigned_ok.err;
  auto required = run({"verify", "profile.mobileconfig", "--require-signed"});
  EXPECT_EQ(required.code, 1);
  EXPECT_NE(required.err.find("error MCC-S013: the profile is not signed"), std::string::npos) << required.err;
}

// The report's verdict and the exit code agree: a valid signature over bytes that are not
// a property list is not a valid signed profile.
TEST_F(CmsCli, VerifyOfSignedNonPlistSaysNotValid) {
  write_file(dir_ / "text.txt", "hello, this is not a property list\n");
  write_file(dir_ / "text.p7", pki::cms_sign("hello, this is not a property list\n", pki::pki().rsa_signer, EVP_sha256()));
  auto v = run({"verify", "text.p7", "--ca", "intermediate.pem"});
  EXPECT_EQ(v.code, 1);
  EXPECT_NE(v.out.find("text.p7: not valid\n"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("content:    not a property list\n"), std::string::npos) << v.out;
  EXPECT_EQ(v.out.find(": valid\n"), std::string::npos) << v.out;
  EXPECT_NE(v.err.find("error MCC-S010: not a valid signed profile: the signed content is not a property list"),
            std::string::npos)
      << v.err;
}

TEST_F(CmsCli, VerifyRefusesAnMd5Signature) {
  const std::string profile = read_file(dir_ / "profile.mobileconfig");
  write_file(dir_ / "md5.mobileconfig", pki::cms_sign(profile, pki::pki().rsa_signer, EVP_md5()));
  auto v = run({"verify", "md5.mobileconfig", "--ca", "intermediate.pem"});
  EXPECT_EQ(v.code, 1);
  EXPECT_NE(v.out.find("md5.mobileconfig: not valid\n"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("digest:     MD5 (refused: not collision-resistant)\n"), std::string::npos) << v.out;
  EXPECT_NE(v.err.find("error MCC-S016: the signature uses the MD5 digest, which is not accepted"), std::string::npos)
      << v.err;

  write_file(dir_ / "sha1.mobileconfig", pki::cms_sign(profile, pki::pki().rsa_signer, EVP_sha1()));
  auto weak = run({"verify", "sha1.mobileconfig", "--ca", "intermediate.pem"});
  EXPECT_EQ(weak.code, 0) << weak.err;
  EXPECT_NE(weak.out.find("sha1.mobileconfig: valid\n"), std::string::npos) << weak.out;
  EXPECT_NE(weak.err.find("warning MCC-S016: the signature uses the SHA-1 digest, which is weak"), std::string::npos)
      << weak.err;
}

TEST_F(CmsCli, SignRefusesDsaAndEd25519Keys) {
  const pki::Issued dsa = pki::self_signed("DSA Signer", pki::dsa_key());
  write_file(dir_ / "dsa.pem", pki::cert_pem(dsa.cert.get()));
  write_file(dir_ / "dsa.key", pki::key_pem(dsa.key.get()));
  const pki::Issued ed = pki::self_signed("Ed25519 Signer", pki::eddsa_key("ED25519"));
  write_file(dir_ / "ed25519.pem", pki::cert_pem(ed.cert.get()));
  write_file(dir_ / "ed25519.key", pki::key_pem(ed.key.get()));
  for (const std::string type : {"dsa", "ed25519"}) {
    auto s = sign(type + "-signed.mobileconfig", {"--sign-cert", type + ".pem", "--sign-key", type + ".key"});
    EXPECT_EQ(s.code, 1) << s.err;
    EXPECT_NE(s.err.find(path(type + ".key") + ": error MCC-S002: not a usable signing key: " +
                         (type == "dsa" ? "DSA" : "Ed25519") + " keys cannot sign profiles; use an RSA or ECDSA key"),
              std::string::npos)
        << s.err;
    EXPECT_FALSE(fs::exists(dir_ / (type + "-signed.mobileconfig")));
  }
}

TEST_F(CmsCli, PassphraseFromEnvironmentOrFileNeverArgv) {
  auto none = sign("enc.mobileconfig", {"--sign-cert", "signer.pem", "--sign-key", "signer-enc.key"});
  EXPECT_EQ(none.code, 1);
  EXPECT_NE(none.err.find("error MCC-S004"), std::string::npos) << none.err;
  EXPECT_FALSE(fs::exists(dir_ / "enc.mobileconfig"));

  ::setenv("MOBILECONFIGC_SIGN_PASSPHRASE", pki::kPassphrase, 1);
  EXPECT_EQ(sign("enc.mobileconfig", {"--sign-cert", "signer.pem", "--sign-key", "signer-enc.key"}).code, 0);
  EXPECT_EQ(sign("p12.mobileconfig", {"--sign-p12", "signer.p12"}).code, 0);
  ::unsetenv("MOBILECONFIGC_SIGN_PASSPHRASE");

  write_file(dir_ / "pass.txt", std::string(pki::kPassphrase) + "\n");
  EXPECT_EQ(sign("p12b.mobileconfig", {"--sign-p12", "ec.p12", "--sign-passphrase-file", "pass.txt"}).code, 0);
  write_file(dir_ / "wrong.txt", "wrong horse\n");
  auto wrong = sign("p12c.mobileconfig", {"--sign-p12", "ec.p12", "--sign-passphrase-file", "wrong.txt"});
  EXPECT_EQ(wrong.code, 1);
  EXPECT_NE(wrong.err.find("ec.p12: error MCC-S003: wrong passphrase"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find("wrong horse"), std::string::npos);
  EXPECT_EQ(run({"verify", "p12b.mobileconfig", "--ca", "root.pem"}).code, 0);
}

TEST_F(CmsCli, SignUsageErrorsExitTwo) {
  EXPECT_EQ(sign("x.out", {}).code, 2) << "no signing identity";
  EXPECT_EQ(sign("x.out", {"--sign-cert", "signer.pem"}).code, 2) << "certificate without key";
  EXPECT_EQ(sign("x.out", {"--sign-p12", "signer.p12", "--sign-chain", "intermediate.pem"}).code, 2);
  EXPECT_EQ(sign("x.out", {"--sign-passphrase", "secret"}).code, 2) << "no passphrase on the command line";
  EXPECT_EQ(run({"sign", "profile.mobileconfig", "--sign-p12", "signer-nopass.p12"}).code, 2) << "no -o";
}

TEST_F(CmsCli, SignRefusesSignedOrNonPlistInputAndNeverLeavesPartialOutput) {
  ASSERT_EQ(sign("once.mobileconfig", {"--sign-p12", "signer-nopass.p12"}).code, 0);
  auto twice = run({"sign", "once.mobileconfig", "-o", "twice.mobileconfig", "--sign-p12", "signer-nopass.p12"});
  EXPECT_EQ(twice.code, 1);
  EXPECT_NE(twice.err.find("error MCC-S014: the profile is already signed"), std::string::npos) << twice.err;

  write_file(dir_ / "not-a-plist.txt", "hello");
  auto text = run({"sign", "not-a-plist.txt", "-o", "x.mobileconfig", "--sign-p12", "signer-nopass.p12"});
  EXPECT_EQ(text.code, 1);
  EXPECT_NE(text.err.find("MCC-P001"), std::string::npos) << text.err;

  write_file(dir_ / "existing.mobileconfig", "old");
  auto mismatch = sign("existing.mobileconfig", {"--sign-cert", "signer.pem", "--sign-key", "ec.key"});
  EXPECT_EQ(mismatch.code, 1);
  EXPECT_NE(mismatch.err.find("MCC-S005"), std::string::npos) << mismatch.err;
  EXPECT_EQ(read_file(dir_ / "existing.mobileconfig"), "old");
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
}

TEST_F(CmsCli, SignToStandardOutput) {
  auto r = run({"sign", "profile.mobileconfig", "-o", "-", "--sign-p12", "signer-nopass.p12"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(looks_like_cms(r.out));
  Diagnostics d;
  VerifyOptions anchors{{NamedBytes{"root.pem", read_file(dir_ / "root.pem")}}};
  auto v = verify_profile(r.out, "-", anchors, d);
  EXPECT_TRUE(v.valid()) << all_lines(d);
  EXPECT_EQ(v.content, kProfile);
}

TEST_F(CmsCli, InspectNamesTheSignerAndRedactsSecrets) {
  ASSERT_EQ(sign("i.mobileconfig", {"--sign-p12", "signer-nopass.p12"}).code, 0);
  for (const char* file : {"i.mobileconfig", "profile.mobileconfig"}) {
    auto r = run({"inspect", file});
    EXPECT_EQ(r.code, 0) << r.err;
    for (const char* want : {"PayloadDisplayName: Contoso VPN\n", "PayloadIdentifier: com.contoso.profile\n",
                             "PayloadUUID: AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE\n", "payloads:   2\n",
                             "[1] com.apple.vpn.managed\n", "PayloadUUID: 11111111-2222-3333-4444-555555555555\n",
                             "IKEv2.RemoteAddress: vpn.contoso.example\n", "IKEv2.SharedSecret: <redacted>\n",
                             "[2] com.apple.security.pkcs12\n", "Password: <redacted>\n", "PayloadContent: <redacted>\n"})
      EXPECT_NE(r.out.find(want), std::string::npos) << want << "\n" << r.out;
    for (const char* secret : {"hunter2", "p12-password", "c2VjcmV0"}) EXPECT_EQ(r.out.find(secret), std::string::npos) << secret;
  }
  auto s = run({"inspect", "i.mobileconfig"});
  EXPECT_NE(s.out.find("signed by:  CN=Profile Signer RSA,O=mobileconfigc tests\n"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("format:     signed (CMS, DER), xml plist\n"), std::string::npos) << s.out;
  auto u = run({"inspect", "profile.mobileconfig"});
  EXPECT_NE(u.out.find("signed by:  (not signed)\n"), std::string::npos) << u.out;

  auto shown = run({"inspect", "i.mobileconfig", "--show-secrets"});
  EXPECT_NE(shown.out.find("IKEv2.SharedSecret: hunter2-shared\n"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("Password: p12-password\n"), std::string::npos) << shown.out;
}

TEST_F(CmsCli, InspectJson) {
  ASSERT_EQ(sign("j.mobileconfig", {"--sign-cert", "ec.pem", "--sign-key", "ec.key", "--sign-chain", "intermediate.pem"}).code, 0);
  auto r = run({"inspect", "j.mobileconfig", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["signature"]["signer"]["subject"], "CN=Profile Signer EC,O=mobileconfigc tests");
  EXPECT_EQ(j["signature"]["signature_valid"], true);
  EXPECT_EQ(j["signature"]["digest_algorithm"], "SHA-256");
  EXPECT_EQ(j["signature"]["certificates"].size(), 2u);
  EXPECT_EQ(j["profile"]["PayloadIdentifier"], "com.contoso.profile");
  EXPECT_EQ(j["profile"]["PayloadVersion"], 1);
  ASSERT_EQ(j["payloads"].size(), 2u);
  EXPECT_EQ(j["payloads"][0]["PayloadType"], "com.apple.vpn.managed");
  EXPECT_EQ(j["payloads"][0]["settings"]["IKEv2"]["RemoteAddress"], "vpn.contoso.example");
  EXPECT_EQ(j["payloads"][0]["settings"]["IKEv2"]["SharedSecret"], "<redacted>");
  EXPECT_EQ(j["payloads"][1]["settings"]["PayloadContent"], "<redacted>");
  auto shown = nlohmann::json::parse(run({"inspect", "j.mobileconfig", "--json", "--show-secrets"}).out);
  EXPECT_EQ(shown["payloads"][1]["settings"]["PayloadContent"], "c2VjcmV0LWtleS1ieXRlcw==");
  auto unsigned_json = nlohmann::json::parse(run({"inspect", "profile.mobileconfig", "--json"}).out);
  EXPECT_TRUE(unsigned_json["signature"].is_null());
}

TEST_F(CmsCli, InspectBinaryProfile) {
  Diagnostics d;
  auto root = parse_plist(kProfile, "p", d);
  ASSERT_TRUE(root) << all_lines(d);
  write_file(dir_ / "binary.mobileconfig", serialize_plist(*root, PlistFormat::binary));
  auto r = run({"inspect", "binary.mobileconfig"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("format:     binary plist\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("IKEv2.SharedSecret: <redacted>\n"), std::string::npos) << r.out;
  ASSERT_EQ(sign("binary.signed", {"--sign-p12", "signer-nopass.p12"}).code, 0);
}

// The signature must satisfy OpenSSL's reference verifier, not only our reading of it.
TEST_F(CmsCli, OpensslCommandVerifiesEveryKeySource) {
  if (!fs::exists("/usr/bin/openssl")) GTEST_SKIP() << "/usr/bin/openssl is not installed";
  write_file(dir_ / "pass.txt", pki::kPassphrase);
  const std::vector<std::vector<std::string>> sources = {
      {"--sign-cert", "signer.pem", "--sign-key", "signer.key", "--sign-chain", "intermediate.pem"},
      {"--sign-cert", "signer.pem", "--sign-key", "signer-enc.key", "--sign-chain", "intermediate.pem",
       "--sign-passphrase-file", "pass.txt"},
      {"--sign-p12", "signer.p12", "--sign-passphrase-file", "pass.txt"},
      {"--sign-cert", "ec.pem", "--sign-key", "ec.key", "--sign-chain", "intermediate.pem"},
      {"--sign-p12", "ec.p12", "--sign-passphrase-file", "pass.txt"},
  };
  int n = 0;
  for (const auto& source : sources) {
    const std::string out = "interop" + std::to_string(++n) + ".mobileconfig";
    ASSERT_EQ(sign(out, source).code, 0) << n;
    const std::string content = path(out + ".content");
    const std::string cmd = "/usr/bin/openssl cms -verify -binary -inform DER -in " + path(out) + " -CAfile " +
                            path("root.pem") + " -out " + content + " 2>" + path("openssl.err");
    EXPECT_EQ(std::system(cmd.c_str()), 0) << n << ": " << read_file(dir_ / "openssl.err");
    EXPECT_EQ(read_file(content), kProfile) << n;
  }
}

// Issue 16 item 12: the README's openssl command verifies a profile signed by a certificate
// whose only extended key usage is code signing (openssl's default purpose refuses it).
TEST_F(CmsCli, ReadmeOpensslCommandAcceptsACodeSigningOnlySigner) {
  if (!fs::exists("/usr/bin/openssl")) GTEST_SKIP() << "/usr/bin/openssl is not installed";
  const std::string make = "/usr/bin/openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=Code-Signing-Only -addext "
                           "extendedKeyUsage=codeSigning -keyout " + path("cs.key") + " -out " + path("cs.pem") +
                           " 2>" + path("openssl.err");
  ASSERT_EQ(std::system(make.c_str()), 0) << read_file(dir_ / "openssl.err");
  ASSERT_EQ(sign("cs.mobileconfig", {"--sign-cert", "cs.pem", "--sign-key", "cs.key"}).code, 0);
  std::string readme = read_file(source_dir() / "README.md");
  auto at = readme.find("`openssl cms -verify");
  ASSERT_NE(at, std::string::npos);
  std::string command = readme.substr(at + 1, readme.find('`', at + 1) - at - 1);
  auto replace = [&](const std::string& from, const std::string& to) {
    auto p = command.find(from);
    ASSERT_NE(p, std::string::npos) << from << " not in " << command;
    command.replace(p, from.size(), to);
  };
  replace("openssl", "/usr/bin/openssl");
  replace("signed.mobileconfig", path("cs.mobileconfig"));
  replace("root.pem", path("cs.pem"));
  const std::string cmd = command + " -out " + path("cs.content") + " 2>" + path("openssl.err");
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd << "\n" << read_file(dir_ / "openssl.err");
  EXPECT_EQ(read_file(dir_ / "cs.content"), kProfile);
}

// An independent PKCS#7 implementation (GnuTLS certtool) must agree: it verifies the
// chain to the root, extracts the same content, and rejects tampering and a wrong anchor.
TEST_F(CmsCli, GnutlsCerttoolVerifiesIndependently) {
  if (!fs::exists("/usr/bin/certtool")) GTEST_SKIP() << "/usr/bin/certtool (gnutls-bin) is not installed";
  write_file(dir_ / "pass.txt", pki::kPassphrase);
  const std::vector<std::vector<std::string>> sources = {
      {"--sign-cert", "signer.pem", "--sign-key", "signer-enc.key", "--sign-chain", "intermediate.pem",
       "--sign-passphrase-file", "pass.txt"},
      {"--sign-p12", "ec.p12", "--sign-passphrase-file", "pass.txt"},
  };
  auto certtool = [&](const std::string& file, const std::string& anchor, const std::string& out) {
    const std::string cmd = "/usr/bin/certtool --p7-verify --p7-show-data --inder --infile " + path(file) +
                            " --load-ca-certificate " + path(anchor) + " --outfile " + path(out) + " >" +
                            path("certtool.log") + " 2>&1";
    return std::system(cmd.c_str());
  };
  int n = 0;
  for (const auto& source : sources) {
    const std::string out = "gnutls" + std::to_string(++n) + ".mobileconfig";
    ASSERT_EQ(sign(out, source).code, 0) << n;
    EXPECT_EQ(certtool(out, "root.pem", out + ".content"), 0) << n << ": " << read_file(dir_ / "certtool.log");
    EXPECT_EQ(read_file(dir_ / (out + ".content")), kProfile) << n;
  }
  std::string tampered = read_file(dir_ / "gnutls1.mobileconfig");
  tampered[tampered.find("vpn.contoso.example")] = 'V';
  write_file(dir_ / "gnutls-tampered.mobileconfig", tampered);
  EXPECT_NE(certtool("gnutls-tampered.mobileconfig", "root.pem", "t.content"), 0) << "tampered content verified";
  EXPECT_NE(certtool("gnutls1.mobileconfig", "ec.pem", "w.content"), 0) << "a wrong anchor was accepted";
}

// compile signs what it writes when given a signing identity: the embedded content is
// exactly the unsigned compile's bytes, and a batch signs every profile with one key load.
TEST_F(CmsCli, CompileSignsSingleProfilesAndBatches) {
  const std::string sample = (source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json").string();
  auto plain = run({"compile", sample, "-o", "plain.mobileconfig"});
  ASSERT_EQ(plain.code, 0) << plain.err;
  auto signed_run = run({"compile", sample, "-o", "compiled-signed.mobileconfig", "--sign-cert", "signer.pem", "--sign-key",
                         "signer.key", "--sign-chain", "intermediate.pem"});
  ASSERT_EQ(signed_run.code, 0) << signed_run.err;
  EXPECT_NE(signed_run.err.find(", signed)"), std::string::npos) << signed_run.err;
  Diagnostics d;
  VerifyOptions anchors{{NamedBytes{"root.pem", read_file(dir_ / "root.pem")}}};
  auto v = verify_profile(read_file(dir_ / "compiled-signed.mobileconfig"), "compiled-signed.mobileconfig", anchors, d);
  EXPECT_TRUE(v.valid()) << all_lines(d);
  EXPECT_EQ(v.content, read_file(dir_ / "plain.mobileconfig"));

  fs::create_directories(dir_ / "batch-out");
  auto batch = run({"compile", sample, "--out-dir", (dir_ / "batch-out").string(), "--sign-p12", "signer-nopass.p12", "-j", "2"});
  ASSERT_EQ(batch.code, 0) << batch.err;
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "batch-out")) {
    ++n;
    Diagnostics bd;
    auto bv = verify_profile(read_file(e.path()), e.path().string(), anchors, bd);
    EXPECT_TRUE(bv.valid()) << e.path() << all_lines(bd);
    EXPECT_EQ(bv.content, read_file(dir_ / "plain.mobileconfig"));
  }
  EXPECT_EQ(n, 1);

  // A bad identity fails before anything is compiled or written.
  auto bad = run({"compile", sample, "-o", "never.mobileconfig", "--sign-cert", "signer.pem", "--sign-key", "ec.key"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("MCC-S005"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(dir_ / "never.mobileconfig"));
  EXPECT_EQ(run({"compile", sample, "-o", "x.mobileconfig", "--sign-chain", "intermediate.pem"}).code, 2);
}

// Counts and indexes are plain decimal numbers: "-1" is a usage error (exit 2), not
// 18446744073709551615, and "010" is ten, not eight.
TEST(NumericOptions, AreCheckedDecimalNumbers) {
  const fs::path dir = make_scratch_dir("numeric-options");
  const std::string sample = (source_dir() / "samples" / "contoso-vpn-scep-root.json").string();
  const std::string out = (dir / "x.mobileconfig").string();
  for (const std::string bad : {"-1", "18446744073709551615", "4294967296", "0x1", "1e3", "+1", " 1", ""}) {
    auto r = run_binary("compile " + sample + " -o " + out + " --scep-url-index='" + bad + "'", dir);
    EXPECT_EQ(r.code, 2) << "--scep-url-index " << bad << "\n" << r.err;
    if (!bad.empty())
      EXPECT_NE(r.err.find("--scep-url-index: expected a whole number from 0 to 4294967295"), std::string::npos) << r.err;
  }
  for (const std::string bad : {"-1", "-4294967295", "0", "257", "0x10"}) {
    auto r = run_binary("compile " + sample + " --out-dir " + dir.string() + " --jobs='" + bad + "'", dir);
    EXPECT_EQ(r.code, 2) << "--jobs " << bad << "\n" << r.err;
  }
  auto ten = run_binary("compile " + sample + " -o " + out + " --scep-url-index 010", dir);
  EXPECT_EQ(ten.code, 1) << ten.err;
  EXPECT_NE(ten.err.find("error MCC-M031: SCEP server URL index 10 is out of range: 2 SCEP server URLs are given (0 to 1) "
                         "(choose another with --scep-url-index)"),
            std::string::npos)
      << ten.err;
  EXPECT_EQ(run_binary("compile " + sample + " -o " + out + " --scep-url-index 0", dir).code, 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mcc::test
