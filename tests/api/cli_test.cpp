// The adloom command line: help, version, config print, validation and migrate.
#include <gtest/gtest.h>

#include "support/server_process.h"
#include "support/temp_dir.h"

namespace adloom::testing {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(CliTest, HelpListsSubcommands) {
  auto r = run_adloom({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* sub : {"serve", "worker", "migrate", "config", "version"}) {
    EXPECT_TRUE(contains(r.out, sub)) << sub << "\n" << r.out;
  }
}

TEST(CliTest, NoSubcommandOrUnknownOneFails) {
  EXPECT_NE(run_adloom({}).exit_code, 0);
  auto r = run_adloom({"frobnicate"});
  EXPECT_NE(r.exit_code, 0);
}

TEST(CliTest, VersionPrints) {
  auto r = run_adloom({"version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out, "adloom 0.")) << r.out;
}

TEST(CliTest, ConfigPrintShowsSourcesAndMasksSecrets) {
  TempDir tmp;
  std::string file = tmp.str() + "/adloom.toml";
  FILE* f = fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fputs("[jobs]\nworkers = 3\n", f);
  fclose(f);
  auto r = run_adloom({"--config", file, "--set", "server.port=9001", "config", "print"},
                      {"ADLOOM_LOG_LEVEL=debug", "ADLOOM_SERVER_METRICS_TOKEN=hunter2-secret"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "port = 9001")) << r.out;
  EXPECT_TRUE(contains(r.out, "workers = 3")) << r.out;
  EXPECT_TRUE(contains(r.out, "level = \"debug\"")) << r.out;
  EXPECT_TRUE(contains(r.out, "# flag")) << r.out;
  EXPECT_TRUE(contains(r.out, "# file")) << r.out;
  EXPECT_TRUE(contains(r.out, "# env")) << r.out;
  EXPECT_TRUE(contains(r.out, "# default")) << r.out;
  EXPECT_FALSE(contains(r.out, "hunter2-secret")) << r.out;
  EXPECT_TRUE(contains(r.out, "********")) << r.out;
}

TEST(CliTest, InvalidConfigIsReportedClearly) {
  auto r = run_adloom({"--set", "server.port=70000", "--set", "jobs.workrs=2", "config", "check"},
                      {"ADLOOM_LOG_LEVEL=loud"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "server.port")) << r.err;
  EXPECT_TRUE(contains(r.err, "70000")) << r.err;
  EXPECT_TRUE(contains(r.err, "did you mean jobs.workers")) << r.err;
  EXPECT_TRUE(contains(r.err, "log.level")) << r.err;
  EXPECT_TRUE(contains(r.err, "ADLOOM_LOG_LEVEL")) << r.err;
}

TEST(CliTest, ServeRefusesInvalidConfigWithoutStarting) {
  TempDir tmp;
  auto r = run_adloom({"--set", "data_dir=" + tmp.str(), "--set", "jobs.lease_ms=abc", "serve"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "jobs.lease_ms")) << r.err;
}

TEST(CliTest, MigrateIsIdempotent) {
  TempDir tmp;
  auto first = run_adloom({"--set", "data_dir=" + tmp.str(), "migrate"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(contains(first.out, "applied migration 1")) << first.out;
  EXPECT_TRUE(contains(first.out, "applied migration 2")) << first.out;
  EXPECT_TRUE(contains(first.out, "applied migration 3")) << first.out;
  EXPECT_TRUE(contains(first.out, "applied migration 4")) << first.out;
  EXPECT_TRUE(contains(first.out, "applied migration 6")) << first.out;
  EXPECT_TRUE(contains(first.out, "schema version 6")) << first.out;
  auto second = run_adloom({"--set", "data_dir=" + tmp.str(), "migrate"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(contains(second.out, "(0 applied now)")) << second.out;
}

TEST(CliTest, ServeReportsAPortInUse) {
  TempDir tmp;
  ServerProcess first(tmp.str() + "/a", {}, tmp.str() + "/a.log");
  first.start();
  std::string port = first.url().substr(first.url().rfind(':') + 1);
  auto r = run_adloom(
      {"--set", "data_dir=" + tmp.str() + "/b", "--set", "server.port=" + port, "serve"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "cannot listen")) << r.err;
}

}  // namespace
}  // namespace adloom::testing
