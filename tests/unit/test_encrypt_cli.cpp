// SPDX-License-Identifier: Apache-2.0
// Encrypted profiles (issue 17, item 3) through the binary: compile --encrypt-for, encrypt,
// decrypt, inspect --decrypt-key, validate; interoperability with `openssl cms` both ways;
// hostile certificates and envelopes. Fixtures are made by the openssl command at test time.

#include <cstdlib>
#include <map>

#include "mobileconfigc/identity.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

class EncryptCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/bin/openssl")) GTEST_SKIP() << "/usr/bin/openssl is not installed";
    dir_ = make_scratch_dir("encrypt");
    const std::string d = dir_.string();
    auto cert = [&](const std::string& name, const std::string& key_args, const std::string& ext) {
      return sh("openssl req -x509 -newkey " + key_args + " -nodes -keyout " + d + "/" + name + ".key -out " + d + "/" + name +
                ".pem -days 30 -subj '/CN=" + name + "' " + ext);
    };
    ASSERT_TRUE(cert("device", "rsa:2048", "-addext keyUsage=critical,digitalSignature,keyEncipherment"));
    ASSERT_TRUE(cert("other", "rsa:2048", ""));
    ASSERT_TRUE(cert("signonly", "rsa:2048", "-addext keyUsage=critical,digitalSignature"));
    ASSERT_TRUE(cert("ec", "ec -pkeyopt ec_paramgen_curve:P-256", ""));
    ASSERT_TRUE(cert("signer", "rsa:2048", "-addext keyUsage=critical,digitalSignature"));
    input_ = (source_dir() / "tests/golden/pass/ios-ikev2-certificate-ondemand/input.json").string();
    auto r = run_binary("compile " + input_ + " -o " + path("plain.mobileconfig"), dir_);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  void TearDown() override { fs::remove_all(dir_); }

  bool sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>>" + (dir_ / "openssl.err").string()).c_str()) == 0; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  Value profile(const std::string& name) const {
    Diagnostics d;
    auto v = parse_plist(read_file(dir_ / name), name, d);
    EXPECT_TRUE(v.has_value()) << all_lines(d);
    return v ? *v : Value();
  }
  // The payload array exactly as it is encrypted: the array alone, as an XML plist.
  std::string plain_array() const {
    return serialize_plist(*profile("plain.mobileconfig").find("PayloadContent"), PlistFormat::xml);
  }
  std::string write_envelope(const std::string& profile_name, const std::string& out) {
    const Value encrypted = profile(profile_name);  // kept alive: `bytes` points into it
    const auto& bytes = encrypted.find("EncryptedPayloadContent")->as_data().bytes;
    write_file(dir_ / out, std::string(bytes.begin(), bytes.end()));
    return path(out);
  }

  fs::path dir_;
  std::string input_;
};

TEST_F(EncryptCli, CompileEncryptsThePayloadArrayAndOpensslAndDecryptRecoverIt) {
  auto r = run_binary("compile " + input_ + " --encrypt-for " + path("device.pem") + " -o " + path("enc.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("encrypted"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("MCC-S023"), std::string::npos) << r.err;  // PKCS#1 v1.5, the default: what Apple devices take
  const Value enc = profile("enc.mobileconfig");
  EXPECT_EQ(enc.find("PayloadContent"), nullptr);
  ASSERT_NE(enc.find("IsEncrypted"), nullptr);
  EXPECT_TRUE(enc.find("IsEncrypted")->as_bool());
  EXPECT_EQ(enc.find("PayloadIdentifier")->as_string(), profile("plain.mobileconfig").find("PayloadIdentifier")->as_string());

  // openssl cms recovers the serialized payload array, byte for byte.
  const std::string der = write_envelope("enc.mobileconfig", "env.der");
  ASSERT_TRUE(sh("openssl cms -decrypt -inform DER -in " + der + " -inkey " + path("device.key") + " -binary -out " +
                 path("array.plist")))
      << read_file(dir_ / "openssl.err");
  EXPECT_EQ(read_file(dir_ / "array.plist"), plain_array());
  // AES-256-CBC content encryption, RSA key transport.
  ASSERT_EQ(std::system(("openssl cms -cmsout -print -inform DER -in " + der + " > " + path("print.txt")).c_str()), 0);
  const std::string printed = read_file(dir_ / "print.txt");
  EXPECT_NE(printed.find("aes-256-cbc"), std::string::npos) << printed;
  EXPECT_NE(printed.find("rsaEncryption"), std::string::npos) << printed;

  // decrypt gives back the unencrypted profile, byte for byte.
  r = run_binary("decrypt " + path("enc.mobileconfig") + " --decrypt-key " + path("device.key") + " -o " + path("dec.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(dir_ / "dec.mobileconfig"), read_file(dir_ / "plain.mobileconfig"));

  // inspect and validate recognise the encrypted profile.
  r = run_binary("inspect " + path("enc.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("payloads:   encrypted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("recipient: key transport rsaEncryption, issuer CN=device"), std::string::npos) << r.out;
  r = run_binary("inspect " + path("enc.mobileconfig") + " --decrypt-key " + path("device.key"), dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("payloads:   1 (decrypted)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("com.apple.vpn.managed"), std::string::npos) << r.out;
  r = run_binary("inspect --json " + path("enc.mobileconfig"), dir_);
  EXPECT_NE(r.out.find("\"payloads\": null"), std::string::npos) << r.out;
  r = run_binary("validate " + path("enc.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("MCC-S022"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("MCC-S023"), std::string::npos) << "PKCS#1 v1.5 is what devices take\n" << r.err;
}

TEST_F(EncryptCli, EncryptCommandSignsAfterEncryptingAndDecryptsWhatOpensslEncrypts) {
  auto r = run_binary("encrypt " + path("plain.mobileconfig") + " --encrypt-for " + path("device.pem") + " --sign-cert " +
                          path("signer.pem") + " --sign-key " + path("signer.key") + " -o " + path("signed.mobileconfig"),
                      dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_TRUE(looks_like_cms(read_file(dir_ / "signed.mobileconfig")));
  r = run_binary("verify " + path("signed.mobileconfig") + " --ca " + path("signer.pem"), dir_);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  r = run_binary("decrypt " + path("signed.mobileconfig") + " --decrypt-key " + path("device.key") + " -o " + path("dec.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("unsigned"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(dir_ / "dec.mobileconfig"), read_file(dir_ / "plain.mobileconfig"));

  // An envelope openssl made, in a profile: decrypt recovers the same profile.
  write_file(dir_ / "array.plist", plain_array());
  ASSERT_TRUE(sh("openssl cms -encrypt -aes256 -binary -outform DER -in " + path("array.plist") + " -out " + path("ossl.der") + " " +
                 path("device.pem")))
      << read_file(dir_ / "openssl.err");
  r = run_binary("encrypt " + path("plain.mobileconfig") + " --encrypt-for " + path("device.pem") + " -o " + path("enc.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  Value enc = profile("enc.mobileconfig");
  const std::string ossl = read_file(dir_ / "ossl.der");
  enc.set("EncryptedPayloadContent", Value(Data{std::vector<std::uint8_t>(ossl.begin(), ossl.end())}));
  write_file(dir_ / "ossl.mobileconfig", serialize_plist(enc, PlistFormat::xml));
  r = run_binary("decrypt " + path("ossl.mobileconfig") + " --decrypt-key " + path("device.key") + " -o " + path("dec2.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(dir_ / "dec2.mobileconfig"), read_file(dir_ / "plain.mobileconfig"));
}

// RSA-OAEP (SHA-256, MGF1-SHA-256) on request, with a warning; openssl decrypts it, and we
// decrypt what openssl encrypts with OAEP.
TEST_F(EncryptCli, OaepKeyTransportOnRequestInteroperatesWithOpenssl) {
  auto r = run_binary("compile " + input_ + " --encrypt-for " + path("device.pem") + " --key-transport oaep -o " +
                          path("enc.mobileconfig"),
                      dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("device.pem: warning MCC-S023: Apple devices may not decrypt this profile"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("RSA-OAEP"), std::string::npos) << r.err;
  const std::string der = write_envelope("enc.mobileconfig", "env.der");
  ASSERT_EQ(std::system(("openssl cms -cmsout -print -inform DER -in " + der + " > " + path("print.txt")).c_str()), 0);
  const std::string printed = read_file(dir_ / "print.txt");
  const auto oaep = printed.find("algorithm: rsaesOaep");
  ASSERT_NE(oaep, std::string::npos) << printed;
  EXPECT_EQ(printed.find("rsaEncryption"), std::string::npos) << printed;
  // The OAEP parameters (up to the encrypted key) name SHA-256 for the hash, then MGF1 with SHA-256.
  const std::string params = printed.substr(oaep, printed.find("encryptedKey:", oaep) - oaep);
  const auto hash = params.find(":sha256");
  ASSERT_NE(hash, std::string::npos) << params;
  const auto mgf1 = params.find(":mgf1", hash);
  ASSERT_NE(mgf1, std::string::npos) << params;
  EXPECT_NE(params.find(":sha256", mgf1), std::string::npos) << params;
  EXPECT_EQ(params.find("sha1"), std::string::npos) << params;
  EXPECT_NE(printed.find("aes-256-cbc"), std::string::npos) << printed;
  ASSERT_TRUE(sh("openssl cms -decrypt -inform DER -in " + der + " -inkey " + path("device.key") + " -binary -out " +
                 path("array.plist")))
      << read_file(dir_ / "openssl.err");
  EXPECT_EQ(read_file(dir_ / "array.plist"), plain_array());
  r = run_binary("decrypt " + path("enc.mobileconfig") + " --decrypt-key " + path("device.key") + " -o " + path("dec.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(dir_ / "dec.mobileconfig"), read_file(dir_ / "plain.mobileconfig"));
  r = run_binary("inspect " + path("enc.mobileconfig"), dir_);
  EXPECT_NE(r.out.find("recipient: key transport rsaesOaep (sha256, MGF1 sha256), issuer CN=device"), std::string::npos) << r.out;
  // validate reads the envelope as a device would, and warns as compile did.
  r = run_binary("validate " + path("enc.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("enc.mobileconfig: warning MCC-S023: Apple devices may not decrypt this profile: the content key is sent "
                       "to the recipient issued by CN=device, serial "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(" by rsaesOaep (sha256, MGF1 sha256), which Apple's CMS decoder does not take"), std::string::npos) << r.err;

  // The encrypt command takes the option too, and the warning.
  r = run_binary("encrypt " + path("plain.mobileconfig") + " --key-transport oaep --encrypt-for " + path("device.pem") + " -o " +
                     path("enc2.mobileconfig"),
                 dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("MCC-S023"), std::string::npos) << r.err;
  ASSERT_TRUE(sh("openssl cms -decrypt -inform DER -in " + write_envelope("enc2.mobileconfig", "env2.der") + " -inkey " +
                 path("device.key") + " -binary -out " + path("array2.plist")))
      << read_file(dir_ / "openssl.err");
  EXPECT_EQ(read_file(dir_ / "array2.plist"), plain_array());
  // --key-transport pkcs1 said out loud is the default: no warning, rsaEncryption.
  r = run_binary("encrypt " + path("plain.mobileconfig") + " --key-transport pkcs1 --encrypt-for " + path("device.pem") + " -o " +
                     path("enc3.mobileconfig"),
                 dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("MCC-S023"), std::string::npos) << r.err;
  r = run_binary("inspect " + path("enc3.mobileconfig"), dir_);
  EXPECT_NE(r.out.find("recipient: key transport rsaEncryption, issuer CN=device"), std::string::npos) << r.out;

  // What openssl encrypts with OAEP (SHA-1 defaults, and SHA-256), we decrypt; also AES-256-GCM
  // (AuthEnvelopedData), which we never write.
  write_file(dir_ / "plain-array.plist", plain_array());
  for (const std::string keyopt : {"-aes256 -keyopt rsa_padding_mode:oaep",
                                   "-aes256 -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256",
                                   "-aes-256-gcm -keyopt rsa_padding_mode:oaep"}) {
    ASSERT_TRUE(sh("openssl cms -encrypt -binary -outform DER -in " + path("plain-array.plist") + " -out " +
                   path("ossl.der") + " -recip " + path("device.pem") + " " + keyopt))
        << read_file(dir_ / "openssl.err");
    Value enc = profile("enc3.mobileconfig");
    const std::string ossl = read_file(dir_ / "ossl.der");
    enc.set("EncryptedPayloadContent", Value(Data{std::vector<std::uint8_t>(ossl.begin(), ossl.end())}));
    write_file(dir_ / "ossl.mobileconfig", serialize_plist(enc, PlistFormat::xml));
    fs::remove(dir_ / "dec2.mobileconfig");
    r = run_binary("decrypt " + path("ossl.mobileconfig") + " --decrypt-key " + path("device.key") + " -o " + path("dec2.mobileconfig"), dir_);
    ASSERT_EQ(r.code, 0) << keyopt << ": " << r.err;
    EXPECT_EQ(read_file(dir_ / "dec2.mobileconfig"), read_file(dir_ / "plain.mobileconfig")) << keyopt;
    r = run_binary("inspect " + path("ossl.mobileconfig") + " --decrypt-key " + path("device.key"), dir_);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("payloads:   1 (decrypted)"), std::string::npos) << r.out;
  }
}

// An EC certificate: ECDH key agreement as OpenSSL writes it, with a warning; both ways with openssl.
TEST_F(EncryptCli, EcRecipientsUseKeyAgreementWithAWarningAndInteroperate) {
  auto r = run_binary("compile " + input_ + " --encrypt-for " + path("ec.pem") + " -o " + path("enc.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("ec.pem: warning MCC-S023: Apple devices may not decrypt this profile"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("EC key"), std::string::npos) << r.err;
  const std::string der = write_envelope("enc.mobileconfig", "env.der");
  ASSERT_TRUE(sh("openssl cms -decrypt -inform DER -in " + der + " -inkey " + path("ec.key") + " -binary -out " + path("array.plist")))
      << read_file(dir_ / "openssl.err");
  EXPECT_EQ(read_file(dir_ / "array.plist"), plain_array());
  r = run_binary("decrypt " + path("enc.mobileconfig") + " --decrypt-key " + path("ec.key") + " -o " + path("dec.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(dir_ / "dec.mobileconfig"), read_file(dir_ / "plain.mobileconfig"));
  r = run_binary("inspect " + path("enc.mobileconfig"), dir_);
  EXPECT_NE(r.out.find("recipient: key agreement dhSinglePass-stdDH-sha1kdf-scheme, issuer CN=ec"), std::string::npos) << r.out;
  // A wrong EC key is not a recipient's.
  ASSERT_TRUE(sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + path("ec2.key")));
  r = run_binary("decrypt " + path("enc.mobileconfig") + " --decrypt-key " + path("ec2.key") + " -o " + path("dec2.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("MCC-S021"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "dec2.mobileconfig"));

  // An RSA and an EC device in one envelope, OAEP for the RSA one: each key opens it.
  r = run_binary("encrypt " + path("plain.mobileconfig") + " --encrypt-for " + path("device.pem") + " --encrypt-for " + path("ec.pem") +
                     " --key-transport oaep -o " + path("both.mobileconfig"),
                 dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* key : {"device.key", "ec.key"}) {
    fs::remove(dir_ / "dec3.mobileconfig");
    r = run_binary("decrypt " + path("both.mobileconfig") + " --decrypt-key " + path(key) + " -o " + path("dec3.mobileconfig"), dir_);
    ASSERT_EQ(r.code, 0) << key << ": " << r.err;
    EXPECT_EQ(read_file(dir_ / "dec3.mobileconfig"), read_file(dir_ / "plain.mobileconfig")) << key;
  }

  // validate warns once per recipient a device could not use: here both.
  r = run_binary("validate " + path("both.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("the recipient issued by CN=device, serial "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the recipient issued by CN=ec, serial "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("by ECDH key agreement with AES key wrap, which Apple's CMS decoder does not unwrap"), std::string::npos) << r.err;
  std::size_t warnings = 0;
  for (auto at = r.err.find("MCC-S023"); at != std::string::npos; at = r.err.find("MCC-S023", at + 1)) ++warnings;
  EXPECT_EQ(warnings, 2u) << r.err;

  // What openssl encrypts for an EC certificate, we decrypt.
  write_file(dir_ / "plain-array.plist", plain_array());
  ASSERT_TRUE(sh("openssl cms -encrypt -aes256 -binary -outform DER -in " + path("plain-array.plist") + " -out " + path("ossl.der") +
                 " " + path("ec.pem")))
      << read_file(dir_ / "openssl.err");
  Value enc = profile("enc.mobileconfig");
  const std::string ossl = read_file(dir_ / "ossl.der");
  enc.set("EncryptedPayloadContent", Value(Data{std::vector<std::uint8_t>(ossl.begin(), ossl.end())}));
  write_file(dir_ / "ossl.mobileconfig", serialize_plist(enc, PlistFormat::xml));
  r = run_binary("decrypt " + path("ossl.mobileconfig") + " --decrypt-key " + path("ec.key") + " -o " + path("dec4.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(dir_ / "dec4.mobileconfig"), read_file(dir_ / "plain.mobileconfig"));
}

// compile --out-dir --encrypt-for: every profile of the batch encrypted, signed after
// encrypting when asked; each decrypts to the payload array of the unencrypted batch's profile.
TEST_F(EncryptCli, BatchEncryptsEveryProfile) {
  const fs::path in = dir_ / "in";
  fs::create_directories(in);
  const char* objects[] = {"ios-ikev2-certificate-ondemand", "ios-vpn-citrix", "ikev2-shared-secret-for-macos"};
  for (const char* name : objects)
    fs::copy_file(source_dir() / "tests/golden/pass" / name / "input.json", in / (std::string(name) + ".json"));
  auto r = run_binary("compile " + in.string() + " --out-dir " + path("plain"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_binary("compile " + in.string() + " --out-dir " + path("enc") + " --encrypt-for " + path("device.pem") + " -j 2", dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("3 written"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("MCC-S023"), std::string::npos) << r.err;
  r = run_binary("compile " + in.string() + " --out-dir " + path("signed") + " --encrypt-for " + path("device.pem") +
                     " --encrypt-for " + path("ec.pem") + " --sign-cert " + path("signer.pem") + " --sign-key " + path("signer.key"),
                 dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  // The EC warning once for the batch, not once per profile.
  const auto first = r.err.find("MCC-S023");
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("MCC-S023", first + 1), std::string::npos) << r.err;

  std::size_t checked = 0, secret = 0;
  for (const auto& entry : fs::directory_iterator(dir_ / "plain")) {
    const std::string file = entry.path().filename().string();
    SCOPED_TRACE(file);
    const Value plain = profile("plain/" + file);
    ASSERT_NE(plain.find("PayloadContent"), nullptr);
    const std::string array = serialize_plist(*plain.find("PayloadContent"), PlistFormat::xml);

    // Encrypted: the same top level (deterministic but for the envelope), the payloads in the envelope.
    ASSERT_TRUE(fs::exists(dir_ / "enc" / file));
    const Value enc = profile("enc/" + file);
    EXPECT_EQ(enc.find("PayloadContent"), nullptr);
    ASSERT_NE(enc.find("IsEncrypted"), nullptr);
    EXPECT_TRUE(enc.find("IsEncrypted")->as_bool());
    EXPECT_EQ(enc.find("PayloadUUID")->as_string(), plain.find("PayloadUUID")->as_string());
    // A profile whose payloads hold a secret keeps its narrow mode, encrypted or not.
    EXPECT_EQ(fs::status(dir_ / "enc" / file).permissions(), fs::status(entry.path()).permissions());
    if ((fs::status(entry.path()).permissions() & fs::perms::others_read) == fs::perms::none) ++secret;
    const std::string der = write_envelope("enc/" + file, "env.der");
    fs::remove(dir_ / "array.plist");
    ASSERT_TRUE(sh("openssl cms -decrypt -inform DER -in " + der + " -inkey " + path("device.key") + " -binary -out " +
                   path("array.plist")))
        << read_file(dir_ / "openssl.err");
    EXPECT_EQ(read_file(dir_ / "array.plist"), array);

    // Signed after encrypting: the signature verifies, its content is the encrypted profile.
    const std::string signed_bytes = read_file(dir_ / "signed" / file);
    ASSERT_TRUE(looks_like_cms(signed_bytes));
    ASSERT_TRUE(sh("openssl cms -verify -noverify -inform DER -binary -in " + path("signed/" + file) + " -out " + path("content.plist")))
        << read_file(dir_ / "openssl.err");
    Diagnostics d;
    auto content = parse_plist(read_file(dir_ / "content.plist"), file, d);
    ASSERT_TRUE(content.has_value()) << all_lines(d);
    ASSERT_EQ(content->find("PayloadContent"), nullptr);
    const auto& bytes = content->find("EncryptedPayloadContent")->as_data().bytes;
    write_file(dir_ / "env2.der", std::string(bytes.begin(), bytes.end()));
    for (const char* key : {"device.key", "ec.key"}) {
      fs::remove(dir_ / "array2.plist");
      ASSERT_TRUE(sh("openssl cms -decrypt -inform DER -in " + path("env2.der") + " -inkey " + path(key) + " -binary -out " +
                     path("array2.plist")))
          << key << ": " << read_file(dir_ / "openssl.err");
      EXPECT_EQ(read_file(dir_ / "array2.plist"), array) << key;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 3u);
  EXPECT_GT(secret, 0u);  // the mode check above saw a 0600 profile
}

TEST_F(EncryptCli, CertificatesThatCannotDoKeyTransportAreRefused) {
  ASSERT_TRUE(sh("openssl req -x509 -newkey ed25519 -nodes -keyout " + path("ed.key") + " -out " + path("ed.pem") +
                 " -days 30 -subj /CN=ed"));
  ASSERT_TRUE(sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + path("ecsign.key") + " -out " +
                 path("ecsign.pem") + " -days 30 -subj /CN=ecsign -addext keyUsage=critical,digitalSignature"));
  const std::map<std::string, std::string> why = {
      {"signonly", "its key usage lacks keyEncipherment"},
      {"ecsign", "its key usage lacks keyAgreement"},
      {"ed", "a key of type ED25519, which can do neither key transport nor key agreement"},
  };
  for (const auto& [name, reason] : why) {
    for (const char* transport : {"", " --key-transport oaep"}) {
      auto r = run_binary("compile " + input_ + " --encrypt-for " + path(name + ".pem") + transport + " -o " + path("enc.mobileconfig"), dir_);
      EXPECT_EQ(r.code, 1) << name;
      EXPECT_NE(r.err.find("MCC-S020"), std::string::npos) << name << ": " << r.err;
      EXPECT_NE(r.err.find(reason), std::string::npos) << name << ": " << r.err;
      EXPECT_FALSE(fs::exists(dir_ / "enc.mobileconfig")) << name;
    }
  }
  // One refused certificate among good ones refuses the command: no profile half for its devices.
  auto r = run_binary("encrypt " + path("plain.mobileconfig") + " --encrypt-for " + path("device.pem") + " --encrypt-for " +
                          path("ed.pem") + " -o " + path("enc.mobileconfig"),
                      dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_FALSE(fs::exists(dir_ / "enc.mobileconfig"));
}

TEST_F(EncryptCli, UnusableCertificatesAreRefusedBeforeCompiling) {
  // A key is not a certificate, and is not quoted.
  auto r = run_binary("encrypt " + path("plain.mobileconfig") + " --encrypt-for " + path("device.key") + " -o " + path("enc.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("MCC-S020"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("PRIVATE KEY"), std::string::npos) << r.err;
  // A batch with an unusable certificate writes nothing: refused before any profile is compiled.
  r = run_binary("compile " + input_ + " --encrypt-for " + path("signonly.pem") + " --out-dir " + path("out"), dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("MCC-S020"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("written"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
  // --key-transport takes pkcs1 or oaep, and only with --encrypt-for.
  r = run_binary("compile " + input_ + " --encrypt-for " + path("device.pem") + " --key-transport rsa -o " + path("enc.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 2) << r.err;
  r = run_binary("compile " + input_ + " --key-transport oaep -o " + path("enc.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--encrypt-for"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "enc.mobileconfig"));
}

TEST_F(EncryptCli, DamagedEnvelopesAndWrongKeysAreReportedNotCrashed) {
  auto r = run_binary("encrypt " + path("plain.mobileconfig") + " --encrypt-for " + path("device.pem") + " -o " + path("enc.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_binary("decrypt " + path("enc.mobileconfig") + " --decrypt-key " + path("other.key") + " -o " + path("dec.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("MCC-S021"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "dec.mobileconfig"));

  Value enc = profile("enc.mobileconfig");
  const auto full = enc.find("EncryptedPayloadContent")->as_data().bytes;
  for (std::size_t keep : {std::size_t{0}, std::size_t{200}, full.size() - 1}) {
    Value cut = enc;
    cut.set("EncryptedPayloadContent", Value(Data{std::vector<std::uint8_t>(full.begin(), full.begin() + static_cast<long>(keep))}));
    write_file(dir_ / "cut.mobileconfig", serialize_plist(cut, PlistFormat::xml));
    r = run_binary("decrypt " + path("cut.mobileconfig") + " --decrypt-key " + path("device.key") + " -o " + path("dec.mobileconfig"), dir_);
    EXPECT_EQ(r.code, 1) << keep;
    EXPECT_NE(r.err.find("MCC-S021"), std::string::npos) << keep << ": " << r.err;
    r = run_binary("validate " + path("cut.mobileconfig"), dir_);
    EXPECT_EQ(r.code, 1) << keep;
    EXPECT_NE(r.err.find("not CMS EnvelopedData"), std::string::npos) << r.err;
  }
  // An encrypted profile is not encrypted twice, and a signed one is not encrypted at all.
  r = run_binary("encrypt " + path("enc.mobileconfig") + " --encrypt-for " + path("device.pem") + " -o " + path("twice.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("already encrypted"), std::string::npos) << r.err;
}

// The library API: no certificate at all is an error that says so, not a silent nothing.
TEST(Encryptor, NoCertificateIsAnErrorThatSaysSo) {
  Diagnostics diags;
  EXPECT_FALSE(Encryptor::load({}, KeyTransport::oaep, 0, diags).has_value());
  EXPECT_TRUE(diags.has_errors());
  EXPECT_NE(all_lines(diags).find("MCC-S020"), std::string::npos) << all_lines(diags);
}

}  // namespace
}  // namespace mcc::test
