// SPDX-License-Identifier: Apache-2.0
// `unsign` (issue 15 item 5): the content of a signed profile, byte for byte, as
// `security cms -D` writes it, so validate, decompile and editors get the profile itself.

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/test_support.hpp"
#include "test_cms_pki.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

// A profile with a secret (the IKEv2 shared secret), so its content must be written 0600.
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
				<key>LocalIdentifier</key>
				<string></string>
				<key>RemoteAddress</key>
				<string>vpn.contoso.example</string>
				<key>RemoteIdentifier</key>
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
			<key>PayloadVersion</key>
			<integer>1</integer>
			<key>UserDefinedName</key>
			<string>Contoso VPN</string>
			<key>VPNType</key>
			<string>IKEv2</string>
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

class Unsign : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mcc-unsign-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    pki::write_files(dir_);
    write_file(dir_ / "profile.mobileconfig", kProfile);
    auto s = run("sign " + path("profile.mobileconfig") + " --sign-cert " + path("signer.pem") + " --sign-key " +
                 path("signer.key") + " -o " + path("signed.mobileconfig"));
    ASSERT_EQ(s.code, 0) << s.err;
  }
  void TearDown() override { fs::remove_all(dir_); }

  RunResult run(const std::string& args) { return run_binary(args, dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(Unsign, WritesTheSignedProfileByteForByteAndPrivately) {
  auto r = run("unsign " + path("signed.mobileconfig") + " -o " + path("out.mobileconfig"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(dir_ / "out.mobileconfig"), kProfile);
  struct stat st {};
  ASSERT_EQ(::stat(path("out.mobileconfig").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the content holds a shared secret";
  EXPECT_NE(r.err.find("wrote " + path("out.mobileconfig") + " (the content signed by CN=Profile Signer RSA"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;

  auto to_stdout = run_binary("unsign - -o -", dir_, read_file(dir_ / "signed.mobileconfig"));
  ASSERT_EQ(to_stdout.code, 0) << to_stdout.err;
  EXPECT_EQ(to_stdout.out, kProfile);
}

// What it gives is what validate and decompile read: the same findings and objects as the
// unsigned profile.
TEST_F(Unsign, ItsOutputIsWhatDecompileReads) {
  ASSERT_EQ(run("unsign " + path("signed.mobileconfig") + " -o " + path("out.mobileconfig")).code, 0);
  auto from_unsigned = run("decompile " + path("profile.mobileconfig"));
  auto from_unsign = run("decompile " + path("out.mobileconfig"));
  EXPECT_EQ(from_unsign.code, from_unsigned.code);
  EXPECT_EQ(from_unsign.out, from_unsigned.out);
  EXPECT_NE(from_unsign.out.find("iosikEv2VpnConfiguration"), std::string::npos) << from_unsign.out << from_unsign.err;
}

TEST_F(Unsign, RefusesUnsignedTamperedAndItsOwnInput) {
  auto unsigned_input = run("unsign " + path("profile.mobileconfig") + " -o " + path("out.mobileconfig"));
  EXPECT_EQ(unsigned_input.code, 1);
  EXPECT_NE(unsigned_input.err.find("error MCC-S013: the profile is not signed"), std::string::npos) << unsigned_input.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.mobileconfig"));

  std::string der = read_file(dir_ / "signed.mobileconfig");
  der[der.find("hunter2")] = 'H';
  write_file(dir_ / "tampered.mobileconfig", der);
  auto tampered = run("unsign " + path("tampered.mobileconfig") + " -o " + path("out.mobileconfig"));
  EXPECT_EQ(tampered.code, 1);
  EXPECT_NE(tampered.err.find("error MCC-S011"), std::string::npos) << tampered.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.mobileconfig"));

  const std::string signed_bytes = read_file(dir_ / "signed.mobileconfig");
  auto onto_input = run("unsign " + path("signed.mobileconfig") + " -o " + path("signed.mobileconfig"));
  EXPECT_EQ(onto_input.code, 2);
  EXPECT_NE(onto_input.err.find("MCC-O002"), std::string::npos) << onto_input.err;
  EXPECT_EQ(read_file(dir_ / "signed.mobileconfig"), signed_bytes);

  EXPECT_EQ(run("unsign " + path("signed.mobileconfig")).code, 2) << "-o is required";
}

// verify -o: the same content, written only when the profile verifies, trust included.
TEST_F(Unsign, VerifyWritesTheContentOnlyWhenItVerifies) {
  auto ok = run("verify " + path("signed.mobileconfig") + " --ca " + path("intermediate.pem") + " -o " + path("v.mobileconfig"));
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find(": valid\n"), std::string::npos) << ok.out;
  EXPECT_EQ(read_file(dir_ / "v.mobileconfig"), kProfile);
  struct stat st {};
  ASSERT_EQ(::stat(path("v.mobileconfig").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto to_stdout = run("verify " + path("signed.mobileconfig") + " --ca " + path("intermediate.pem") + " -o -");
  ASSERT_EQ(to_stdout.code, 0) << to_stdout.err;
  EXPECT_EQ(to_stdout.out, kProfile);
  EXPECT_NE(to_stdout.err.find(": valid\n"), std::string::npos) << "the report moves to standard error";

  auto untrusted = run("verify " + path("signed.mobileconfig") + " --ca " + path("other-root.pem") + " -o " + path("u.mobileconfig"));
  EXPECT_EQ(untrusted.code, 1);
  EXPECT_NE(untrusted.err.find("MCC-S012"), std::string::npos) << untrusted.err;
  EXPECT_FALSE(fs::exists(dir_ / "u.mobileconfig"));

  auto unsigned_input = run("verify " + path("profile.mobileconfig") + " -o " + path("u.mobileconfig"));
  EXPECT_EQ(unsigned_input.code, 1);
  EXPECT_NE(unsigned_input.err.find("error MCC-S013"), std::string::npos) << unsigned_input.err;
  EXPECT_FALSE(fs::exists(dir_ / "u.mobileconfig"));

  EXPECT_EQ(run("verify " + path("signed.mobileconfig") + " --json -o -").code, 2);
  auto onto_anchor = run("verify " + path("signed.mobileconfig") + " --ca " + path("intermediate.pem") + " -o " + path("intermediate.pem"));
  EXPECT_EQ(onto_anchor.code, 2);
  EXPECT_NE(onto_anchor.err.find("MCC-O002"), std::string::npos) << onto_anchor.err;
}

}  // namespace
}  // namespace mcc::test
