// SPDX-License-Identifier: Apache-2.0
// Micro-benchmarks, one per pipeline stage, on the shipped IKEv2 sample:
// load (Compiler::create: built-in schemas and tables indexed), the first reading of what a
// compile needs of them (Apple's VPN payload type; the first compile), read, check, map, the whole
// compile, serialize, sign (CMS, RSA-2048) and, for scale, the bare RSA-2048 signature
// that `openssl speed rsa2048` measures.
// Run: build with -DMCC_BUILD_BENCH=ON (bench/compare.sh does) and run
// build-bench/bench/mobileconfigc_bench.

#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

#include "check/checker.hpp"
#include "driver/pipeline.hpp"
#include "map/engine.hpp"
#include "mobileconfigc/mobileconfigc.hpp"
#include "mobileconfigc/sign.hpp"
#include "read/reader.hpp"
#include "schema/apple_schema.hpp"
#include "schema/embedded.hpp"

namespace {

std::string sample() {
  std::ifstream in(std::string(MCC_SOURCE_DIR) + "/samples/ios-ikev2-certificate-ondemand.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const mcc::Compiler& compiler() {
  static const mcc::Compiler c = [] {
    mcc::Diagnostics d;
    return std::move(*mcc::Compiler::create(std::nullopt, d));
  }();
  return c;
}

// The pipeline's steps, for the per-stage figures.
const mcc::driver::Pipeline& pipeline() {
  static const mcc::driver::Pipeline p = [] {
    mcc::Diagnostics d;
    return std::move(*mcc::driver::Pipeline::load_built_in(d));
  }();
  return p;
}

void BM_LoadTables(benchmark::State& state) {
  for (auto _ : state) {
    mcc::Diagnostics d;
    benchmark::DoNotOptimize(mcc::Compiler::create(std::nullopt, d));
  }
}
BENCHMARK(BM_LoadTables);

// Apple's payload schema indexed and com.apple.vpn.managed read into its specs, as a fresh
// process's first IKEv2 compile does (the built-in schema is read once per process, so this
// reads the text anew each time).
void BM_ReadApplePayloadType(benchmark::State& state) {
  std::string_view derived, overlay;
  for (const auto& r : mcc::embedded::resources()) {
    if (r.path == "schemas/apple-payloads.json") derived = r.content;
    if (r.path == "schemas/apple-overlay.json") overlay = r.content;
  }
  for (auto _ : state) {
    mcc::Diagnostics d;
    auto schema = mcc::schema::AppleSchema::from_text(derived, overlay, d);
    benchmark::DoNotOptimize(schema->payload("com.apple.vpn.managed"));
  }
}
BENCHMARK(BM_ReadApplePayloadType);

// A fresh process's first compile once the binary is loaded: the built-in tables and Graph
// types indexed (BM_LoadTables), then read as the sample first needs them. Apple's payload
// types are read once per process and not again here: BM_ReadApplePayloadType.
void BM_FirstCompile(benchmark::State& state) {
  std::vector<mcc::InputFile> inputs{{"s.json", sample()}};
  for (auto _ : state) {
    mcc::Diagnostics d;
    auto fresh = mcc::Compiler::create(std::nullopt, d);
    benchmark::DoNotOptimize(fresh->compile(inputs, {}, d));
  }
}
BENCHMARK(BM_FirstCompile);

void BM_Read(benchmark::State& state) {
  std::string text = sample();
  for (auto _ : state) {
    mcc::Diagnostics d;
    benchmark::DoNotOptimize(mcc::read::read_graph_objects("s.json", text, std::nullopt, d));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Read);

void BM_Check(benchmark::State& state) {
  mcc::Diagnostics d;
  auto objects = mcc::read::read_graph_objects("s.json", sample(), std::nullopt, d);
  for (auto _ : state) {
    mcc::Diagnostics diags;
    mcc::check::check_object(pipeline().graph, objects.front(), diags);
    benchmark::DoNotOptimize(diags);
  }
}
BENCHMARK(BM_Check);

void BM_Map(benchmark::State& state) {
  mcc::Diagnostics d;
  auto objects = mcc::read::read_graph_objects("s.json", sample(), std::nullopt, d);
  for (auto _ : state) {
    mcc::Diagnostics diags;
    benchmark::DoNotOptimize(mcc::map::map_object(pipeline().tables, pipeline().apple, objects.front(), mcc::map::MapInput{}, diags));
  }
}
BENCHMARK(BM_Map);

void BM_Compile(benchmark::State& state) {
  std::vector<mcc::InputFile> inputs{{"s.json", sample()}};
  for (auto _ : state) {
    mcc::Diagnostics d;
    benchmark::DoNotOptimize(compiler().compile(inputs, {}, d));
  }
}
BENCHMARK(BM_Compile);

void BM_Serialize(benchmark::State& state) {
  mcc::Diagnostics d;
  auto profile = compiler().compile({{"s.json", sample()}}, {}, d);
  auto format = state.range(0) ? mcc::PlistFormat::binary : mcc::PlistFormat::xml;
  for (auto _ : state) benchmark::DoNotOptimize(mcc::serialize_plist(profile->root, format));
}
BENCHMARK(BM_Serialize)->Arg(0)->Arg(1)->ArgNames({"binary"});

// A fresh RSA-2048 key and self-signed certificate, as PEM, made once.
struct TestIdentity {
  std::string cert_pem, key_pem;
  EVP_PKEY* key = nullptr;
};

const TestIdentity& identity() {
  static const TestIdentity id = [] {
    TestIdentity t;
    t.key = EVP_RSA_gen(2048);
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 30L * 24 * 3600);
    X509_set_pubkey(x, t.key);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("bench signer"), -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509_sign(x, t.key, EVP_sha256());
    auto pem = [](auto write) {
      BIO* b = BIO_new(BIO_s_mem());
      write(b);
      char* data = nullptr;
      long n = BIO_get_mem_data(b, &data);
      std::string out(data, static_cast<std::size_t>(n));
      BIO_free(b);
      return out;
    };
    t.cert_pem = pem([&](BIO* b) { PEM_write_bio_X509(b, x); });
    t.key_pem = pem([&](BIO* b) { PEM_write_bio_PrivateKey(b, t.key, nullptr, nullptr, 0, nullptr, nullptr); });
    X509_free(x);
    return t;
  }();
  return id;
}

const mcc::Signer& signer() {
  static const mcc::Signer s = [] {
    mcc::SignerCredentials c;
    c.certificate = mcc::NamedBytes{"cert.pem", identity().cert_pem};
    c.private_key = mcc::NamedSecret{"key.pem", mcc::SecretBytes(identity().key_pem)};
    mcc::Diagnostics d;
    auto loaded = mcc::Signer::load(c, [](const std::string&) { return std::nullopt; }, d);
    if (!loaded) std::abort();
    return std::move(*loaded);
  }();
  return s;
}

std::string compiled_sample() {
  mcc::Diagnostics d;
  auto profile = compiler().compile({{"s.json", sample()}}, {}, d);
  return mcc::serialize_plist(profile->root, mcc::PlistFormat::xml);
}

// Compile, serialize and sign: what one profile of `compile --sign-cert` costs in process.
void BM_CompileSerializeSign(benchmark::State& state) {
  std::vector<mcc::InputFile> inputs{{"s.json", sample()}};
  const bool sign = state.range(0) != 0;
  for (auto _ : state) {
    mcc::Diagnostics d;
    auto profile = compiler().compile(inputs, {}, d);
    std::string bytes = mcc::serialize_plist(profile->root, mcc::PlistFormat::xml);
    if (sign) benchmark::DoNotOptimize(signer().sign(bytes, "s.mobileconfig", d));
    benchmark::DoNotOptimize(bytes);
  }
}
BENCHMARK(BM_CompileSerializeSign)->Arg(0)->Arg(1)->ArgNames({"signed"});

void BM_Sign(benchmark::State& state) {
  std::string bytes = compiled_sample();
  for (auto _ : state) {
    mcc::Diagnostics d;
    benchmark::DoNotOptimize(signer().sign(bytes, "s.mobileconfig", d));
  }
}
BENCHMARK(BM_Sign);

// The bare RSA-2048 PKCS#1 v1.5 signature of a SHA-256 digest: the floor under BM_Sign.
void BM_RsaSign(benchmark::State& state) {
  unsigned char digest[32] = {1, 2, 3};
  unsigned char sig[512];
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(identity().key, nullptr);
  EVP_PKEY_sign_init(ctx);
  EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256());
  for (auto _ : state) {
    size_t len = sizeof sig;
    benchmark::DoNotOptimize(EVP_PKEY_sign(ctx, sig, &len, digest, sizeof digest));
  }
  EVP_PKEY_CTX_free(ctx);
}
BENCHMARK(BM_RsaSign);

}  // namespace

BENCHMARK_MAIN();
