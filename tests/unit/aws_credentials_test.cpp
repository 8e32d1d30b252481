#include "net/aws_credentials.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace adloom {
namespace {

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// A HOME of its own with ~/.aws/credentials and ~/.aws/config as given ("": no file).
class AwsCredentialsTest : public ::testing::Test {
 protected:
  void write(const std::string& relative, const std::string& text) {
    const std::filesystem::path path = dir_.path() / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  void write_files(const std::string& credentials, const std::string& config) {
    if (!credentials.empty()) write(".aws/credentials", credentials);
    if (!config.empty()) write(".aws/config", config);
  }
  std::string path(const std::string& relative) const { return (dir_.path() / relative).string(); }

  Result<AwsCredentials> resolve(const AwsCredentialOptions& options = {}) const {
    return resolve_aws_credentials(options, env_);
  }
  // The failure's message, checked to be kFailedPrecondition and free of secrets.
  std::string failure(const AwsCredentialOptions& options = {}) const {
    auto result = resolve(options);
    EXPECT_FALSE(result.is_ok());
    if (result.is_ok()) return "";
    EXPECT_EQ(result.status().code(), ErrorCode::kFailedPrecondition);
    EXPECT_EQ(result.status().message().find(kSecret), std::string::npos);
    EXPECT_EQ(result.status().message().find("AKIDFILE"), std::string::npos);
    return result.status().message();
  }

  testing::TempDir dir_;
  AwsEnv env_{{"HOME", dir_.str()}};
};

TEST_F(AwsCredentialsTest, ExplicitConfigurationComesFirst) {
  write_files("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n", "");
  env_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env_["AWS_SECRET_ACCESS_KEY"] = "senv";
  auto creds =
      resolve({.access_key_id = "AKIDCONF", .secret_access_key = kSecret, .session_token = "tok"});
  ASSERT_TRUE(creds.is_ok()) << creds.status().to_string();
  EXPECT_EQ(creds->access_key_id, "AKIDCONF");
  EXPECT_EQ(creds->secret_access_key, kSecret);
  EXPECT_EQ(creds->session_token, "tok");
  EXPECT_EQ(creds->source, "configuration (providers.bedrock)");
}

TEST_F(AwsCredentialsTest, HalfAnExplicitPairIsAnError) {
  EXPECT_NE(failure({.access_key_id = "AKIDCONF"}).find("providers.bedrock.secret_access_key"),
            std::string::npos);
  const std::string message =
      failure({.secret_access_key = kSecret, .settings_prefix = "store.s3"});
  EXPECT_NE(message.find("store.s3.access_key_id"), std::string::npos) << message;
}

TEST_F(AwsCredentialsTest, EnvironmentComesBeforeTheFiles) {
  write_files("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n", "");
  env_["AWS_ACCESS_KEY_ID"] = " AKIDENV ";
  env_["AWS_SECRET_ACCESS_KEY"] = kSecret;
  env_["AWS_SESSION_TOKEN"] = "envtok";
  auto creds = resolve();
  ASSERT_TRUE(creds.is_ok()) << creds.status().to_string();
  EXPECT_EQ(creds->access_key_id, "AKIDENV");
  EXPECT_EQ(creds->secret_access_key, kSecret);
  EXPECT_EQ(creds->session_token, "envtok");
  EXPECT_EQ(creds->source, "environment");
}

TEST_F(AwsCredentialsTest, HalfAnEnvironmentPairIsAnError) {
  write_files("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n", "");
  env_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  EXPECT_NE(failure().find("AWS_SECRET_ACCESS_KEY is not"), std::string::npos);
  env_.erase("AWS_ACCESS_KEY_ID");
  env_["AWS_SECRET_ACCESS_KEY"] = kSecret;
  EXPECT_NE(failure().find("AWS_ACCESS_KEY_ID is not"), std::string::npos);
}

TEST_F(AwsCredentialsTest, EmptyVariablesCountAsUnset) {
  write_files("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n", "");
  env_["AWS_ACCESS_KEY_ID"] = "";
  env_["AWS_SECRET_ACCESS_KEY"] = "  ";
  env_["AWS_PROFILE"] = "";
  auto creds = resolve();
  ASSERT_TRUE(creds.is_ok()) << creds.status().to_string();
  EXPECT_EQ(creds->access_key_id, "AKIDFILE");
}

TEST_F(AwsCredentialsTest, DefaultProfileWithCommentsWhitespaceAndKeyCase) {
  write_files(
      "# a comment\r\n; another\r\n[other]\naws_access_key_id=AKIDOTHER\n"
      "aws_secret_access_key=x\n\n  [ default ]   # the usual one\r\n"
      "  AWS_Access_Key_ID   =   AKIDFILE  \r\n"
      "\taws_secret_access_key=" +
          std::string(kSecret) +
          " ; trailing comment\r\n"
          "aws_session_token = tok#en\n",
      "");
  auto creds = resolve();
  ASSERT_TRUE(creds.is_ok()) << creds.status().to_string();
  EXPECT_EQ(creds->access_key_id, "AKIDFILE");
  EXPECT_EQ(creds->secret_access_key, kSecret);
  EXPECT_EQ(creds->session_token, "tok#en");  // `#` only starts a comment after whitespace
  EXPECT_EQ(creds->source, "profile 'default' in " + path(".aws/credentials"));
}

TEST_F(AwsCredentialsTest, ProfileChosenByAwsProfileThenByOptions) {
  write_files(
      "[default]\naws_access_key_id=AKIDDEFAULT\naws_secret_access_key=s\n"
      "[dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=s\n"
      "[prod]\naws_access_key_id=AKIDPROD\naws_secret_access_key=s\n",
      "");
  env_["AWS_PROFILE"] = "dev";
  auto dev = resolve();
  ASSERT_TRUE(dev.is_ok());
  EXPECT_EQ(dev->access_key_id, "AKIDDEV");
  auto prod = resolve({.profile = "prod"});
  ASSERT_TRUE(prod.is_ok());
  EXPECT_EQ(prod->access_key_id, "AKIDPROD");
  EXPECT_EQ(prod->source, "profile 'prod' in " + path(".aws/credentials"));
}

TEST_F(AwsCredentialsTest, ConfigFileProfilesAreNamedProfileSpaceName) {
  write_files("",
              "[dev]\naws_access_key_id=AKIDWRONG\naws_secret_access_key=s\n"
              "[profile   dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=s\n"
              "[default]\naws_access_key_id=AKIDDEFAULT\naws_secret_access_key=s\n"
              "[sso-session dev]\naws_access_key_id=AKIDSSO\n");
  auto fallback = resolve();
  ASSERT_TRUE(fallback.is_ok()) << fallback.status().to_string();
  EXPECT_EQ(fallback->access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(fallback->source, "profile 'default' in " + path(".aws/config"));
  auto dev = resolve({.profile = "dev"});
  ASSERT_TRUE(dev.is_ok()) << dev.status().to_string();
  EXPECT_EQ(dev->access_key_id, "AKIDDEV");
}

TEST_F(AwsCredentialsTest, CredentialsFileWinsOverConfigFile) {
  write_files("[dev]\naws_access_key_id=AKIDCREDS\naws_secret_access_key=s1\n",
              "[profile dev]\naws_access_key_id=AKIDCONFIG\naws_secret_access_key=s2\n"
              "region = eu-west-3\n");
  auto creds = resolve({.profile = "dev"});
  ASSERT_TRUE(creds.is_ok());
  EXPECT_EQ(creds->access_key_id, "AKIDCREDS");
  EXPECT_EQ(creds->secret_access_key, "s1");
}

TEST_F(AwsCredentialsTest, ConfigFileUsedWhenTheCredentialsSectionHasNoKeys) {
  write_files("[dev]\n# keys moved to config\n",
              "[profile dev]\naws_access_key_id=AKIDCONFIG\naws_secret_access_key=s2\n"
              "aws_session_token=t2\n");
  auto creds = resolve({.profile = "dev"});
  ASSERT_TRUE(creds.is_ok()) << creds.status().to_string();
  EXPECT_EQ(creds->access_key_id, "AKIDCONFIG");
  EXPECT_EQ(creds->session_token, "t2");
}

TEST_F(AwsCredentialsTest, IndentedSubPropertiesAreSkipped) {
  write_files("",
              "[default]\ns3 =\n  aws_access_key_id = AKIDNESTED\n"
              "  max_concurrent_requests = 20\naws_secret_access_key = s\n");
  EXPECT_NE(failure().find("has aws_secret_access_key but no aws_access_key_id"),
            std::string::npos);
}

TEST_F(AwsCredentialsTest, ProfileWithoutItsSecretIsAnError) {
  write_files("[dev]\naws_access_key_id = AKIDFILE\n",
              "[profile dev]\naws_access_key_id=AKIDCONFIG\naws_secret_access_key=s2\n");
  const std::string message = failure({.profile = "dev"});
  EXPECT_NE(message.find("[dev] in " + path(".aws/credentials") +
                         " has aws_access_key_id but no aws_secret_access_key"),
            std::string::npos)
      << message;
}

TEST_F(AwsCredentialsTest, NothingFoundNamesEveryPlaceLooked) {
  write_files("[other]\naws_access_key_id=AKIDFILE\naws_secret_access_key=s\n", "");
  env_["AWS_PROFILE"] = "dev";
  const std::string message = failure();
  for (const std::string& part :
       {std::string("no AWS credentials"), std::string("providers.bedrock.access_key_id"),
        std::string("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        std::string("profile 'dev' chosen by AWS_PROFILE"), path(".aws/credentials") + ": no [dev]",
        path(".aws/config") + ": no such file"}) {
    EXPECT_NE(message.find(part), std::string::npos) << part << "\n in: " << message;
  }
}

TEST_F(AwsCredentialsTest, UnsupportedProfileKindsGetAHint) {
  write_files("", "[profile sso]\nsso_session = corp\nsso_account_id = 1\n");
  const std::string message = failure({.profile = "sso"});
  EXPECT_NE(message.find("uses sso_session"), std::string::npos) << message;
  EXPECT_NE(message.find("aws configure export-credentials --profile sso"), std::string::npos);
}

TEST_F(AwsCredentialsTest, FilePathsFromVariablesWithTilde) {
  write("elsewhere/creds", "[default]\naws_access_key_id=AKIDCREDS\naws_secret_access_key=s\n");
  write("elsewhere/conf",
        "[profile x]\naws_access_key_id=AKIDCONF\naws_secret_access_key=s\n"
        "region = ap-south-1\n");
  write_files("[default]\naws_access_key_id=AKIDHOME\naws_secret_access_key=s\n", "");
  env_["AWS_SHARED_CREDENTIALS_FILE"] = "~/elsewhere/creds";
  env_["AWS_CONFIG_FILE"] = path("elsewhere/conf");
  auto creds = resolve();
  ASSERT_TRUE(creds.is_ok());
  EXPECT_EQ(creds->access_key_id, "AKIDCREDS");
  EXPECT_EQ(creds->source, "profile 'default' in " + path("elsewhere/creds"));
  auto region = resolve_aws_region({.profile = "x"}, env_);
  ASSERT_TRUE(region.is_ok());
  EXPECT_EQ(*region, "ap-south-1");
}

TEST_F(AwsCredentialsTest, NoHomeAndNoVariables) {
  const std::string message = resolve_aws_credentials({}, {}).status().message();
  EXPECT_NE(message.find("no credentials file (HOME and AWS_SHARED_CREDENTIALS_FILE are unset)"),
            std::string::npos)
      << message;
  EXPECT_EQ(resolve_aws_region({}, {}).status().code(), ErrorCode::kFailedPrecondition);
}

TEST_F(AwsCredentialsTest, DirectoriesInPlaceOfFilesAreReported) {
  std::filesystem::create_directories(path(".aws/config"));
  EXPECT_NE(failure().find("cannot read the AWS config file " + path(".aws/config") +
                           ": it is a directory"),
            std::string::npos);
  EXPECT_EQ(resolve_aws_region({}, env_).status().code(), ErrorCode::kFailedPrecondition);
}

TEST_F(AwsCredentialsTest, FilesWithoutReadPermissionAreReported) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any file";
  write_files("[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=s\n", "");
  std::filesystem::permissions(path(".aws/credentials"), std::filesystem::perms::none);
  EXPECT_NE(failure().find("cannot read the AWS credentials file"), std::string::npos);
}

TEST_F(AwsCredentialsTest, RegionOrder) {
  write_files("[dev]\nregion = us-west-1\n",  // not read: region lives in the config file
              "[default]\nregion = eu-central-1\n[profile dev]\nregion = eu-west-1 # Ireland\n");
  const auto region = [&](const AwsCredentialOptions& options) {
    auto result = resolve_aws_region(options, env_);
    return result.is_ok() ? *result : result.status().message();
  };
  EXPECT_EQ(region({}), "eu-central-1");
  env_["AWS_PROFILE"] = "dev";
  EXPECT_EQ(region({}), "eu-west-1");
  env_["AWS_DEFAULT_REGION"] = "ca-central-1";
  EXPECT_EQ(region({}), "ca-central-1");
  env_["AWS_REGION"] = "sa-east-1";
  EXPECT_EQ(region({}), "sa-east-1");
  EXPECT_EQ(region({.region = "us-east-2"}), "us-east-2");
}

TEST_F(AwsCredentialsTest, MissingRegionSaysHowToSetIt) {
  write_files("", "[profile dev]\noutput = json\n");
  auto result = resolve_aws_region({.profile = "dev", .settings_prefix = "store.s3"}, env_);
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(result.status().message(),
            "no AWS region: set store.s3.region, or AWS_REGION, or region in [profile dev] of " +
                path(".aws/config") + " (profile 'dev' chosen by store.s3.profile)");
}

TEST_F(AwsCredentialsTest, BedrockBearerToken) {
  EXPECT_EQ(bedrock_bearer_token({}, env_), std::nullopt);
  env_["AWS_BEARER_TOKEN_BEDROCK"] = "  ";
  EXPECT_EQ(bedrock_bearer_token({}, env_), std::nullopt);
  env_["AWS_BEARER_TOKEN_BEDROCK"] = "ABSKenv";
  EXPECT_EQ(bedrock_bearer_token({}, env_), "ABSKenv");
  EXPECT_EQ(bedrock_bearer_token({.bearer_token = "ABSKconf"}, env_), "ABSKconf");
}

}  // namespace
}  // namespace adloom
